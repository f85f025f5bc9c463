// The pictures a child can choose: the one list the server checks against, bundled. Their
// names are msgids in the context "picture" (babel.cfg), shown in the page's language.
import list from '../../server/pictures.json';
import { tc } from './i18n.js';

export const PICTURES = list.pictures; // [{id, name}]
export const PICTURE_CREDIT = list.credit;
const NAMES = new Map(PICTURES.map((p) => [p.id, p.name]));
export const pictureName = (id) => (NAMES.has(id) ? tc('picture', NAMES.get(id)) : '');
export const pictureUrl = (id) => `/static/pictures/${encodeURIComponent(id)}.svg`;
