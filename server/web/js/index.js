// The front page: links to the three pages, in the reader's language. Each page asks for the
// token itself.

import { startI18n } from './i18n.js';

startI18n();
