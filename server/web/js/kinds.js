// The names the wire uses for kinds, alert types, acks and statuses (proto/puente/v1), in the
// order pages show them. Their words are in i18n/<lang>.json under "kind.RAID" and the like.
// The test PagesNamesMatchProto (tests/browser/proto_names.test.mjs) fails when these lists, the
// words or any enum name spelled in the pages drift from the proto.

export const REPORT_KINDS = ['RAID', 'CHECKPOINT', 'ARREST', 'PATROL', 'SURVEILLANCE', 'OTHER'];
// The answers an observer gives from the alerts page, in the order of their buttons.
export const FIELD_ACKS = ['EN_ROUTE', 'ON_SCENE', 'DECLINED'];
export const OPEN_STATUSES = ['REPORTED', 'CONFIRMED'];
// What closes an incident, as the alert that says so.
export const CLOSING_ALERTS = ['DEBUNK', 'STAND_DOWN'];
// Languages a caller may speak, as BCP 47 tags ("und": another one).
export const CALLER_LANGUAGES = ['es', 'en', 'zh', 'ko', 'tl', 'vi', 'hy', 'ru', 'und'];

// "10:42:07" in the page's language.
export function clock(timestamp, language) {
  if (!timestamp) return '';
  return new Date(timestamp).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// "Dec 3" ("3 dic") in the page's language.
export function day(timestamp, language) {
  if (!timestamp) return '';
  return new Date(timestamp).toLocaleDateString(language, { month: 'short', day: 'numeric' });
}
