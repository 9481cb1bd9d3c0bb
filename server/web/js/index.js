// The front page: links to the three pages, in the reader's language. Each page asks for the
// token itself.

import { startPage } from './page.js';

startPage({ title: 'index.title' });
