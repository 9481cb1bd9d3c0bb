// Page text in the reader's language. Every word a page shows lives in i18n/<lang>.json, which
// a translator edits (both files hold the same keys). Markup names its text by key:
// data-i18n (text), data-i18n-placeholder, data-i18n-aria-label, data-i18n-title. Text with
// values in it ("{name}" in the file) is set with setText(node, key, values), which keeps the
// values beside the key so a change of language redraws it too; t(key, values) just answers. The language
// switch is remembered in localStorage; the first visit follows the browser's language.

// The languages a page can be read in, each by its own name (the switch's options).
export const LANGUAGE_NAMES = { en: 'English', es: 'Español' };
export const LANGUAGES = Object.keys(LANGUAGE_NAMES);
const LANG_KEY = 'puente.lang';
// [marking attribute, its dataset name, the attribute it fills]
const ATTRIBUTES = [
  ['data-i18n-placeholder', 'i18nPlaceholder', 'placeholder'],
  ['data-i18n-aria-label', 'i18nAriaLabel', 'aria-label'],
  ['data-i18n-title', 'i18nTitle', 'title'],
];

let strings = {};
let language = 'en';
const listeners = [];

export function currentLanguage() {
  return language;
}

function preferredLanguage() {
  const saved = localStorage.getItem(LANG_KEY);
  if (LANGUAGES.includes(saved)) return saved;
  const browser = (navigator.language || 'en').slice(0, 2);
  return LANGUAGES.includes(browser) ? browser : 'en';
}

// The text of `key`, with {name} replaced from `values`. A missing key shows as itself, which
// the browser tests look for. With a number `values.count`, the language's plural form of it
// is used where the file has one: "key.one", "key.few", ... by Intl.PluralRules (English and
// Spanish: one and other), else `key` itself, which holds the general ("other") form.
export function t(key, values = {}) {
  const form = typeof values.count === 'number' ? strings[`${key}.${new Intl.PluralRules(language).select(values.count)}`] : undefined;
  const text = form ?? strings[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// Fills every element under `root` that names a key.
export function translate(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]'))
    node.textContent = t(node.dataset.i18n, node.dataset.i18nValues ? JSON.parse(node.dataset.i18nValues) : {});
  for (const [marker, data, attribute] of ATTRIBUTES)
    for (const node of root.querySelectorAll(`[${marker}]`)) node.setAttribute(attribute, t(node.dataset[data]));
}

export function setText(node, key, values) {
  node.dataset.i18n = key;
  if (values) node.dataset.i18nValues = JSON.stringify(values);
  else delete node.dataset.i18nValues;
  node.textContent = t(key, values);
}

export async function setLanguage(lang) {
  const response = await fetch(`/i18n/${lang}.json`, { cache: 'no-cache' });
  strings = await response.json();
  language = lang;
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  translate();
  for (const listener of listeners) listener(lang);
}

// Calls `listener` after every change of language (pages re-render what they built).
export function onLanguageChange(listener) {
  listeners.push(listener);
}

// Loads the preferred language and wires the page's switch (#language), if it has one.
export async function startI18n() {
  const select = document.getElementById('language');
  await setLanguage(preferredLanguage());
  if (select) {
    select.value = language;
    select.addEventListener('change', () => setLanguage(select.value));
  }
  document.documentElement.classList.add('i18n-ready');
}
