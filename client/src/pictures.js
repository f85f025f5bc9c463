// The pictures a child can choose: the one list the server checks against, bundled.
import list from '../../server/pictures.json';

export const PICTURES = list.pictures; // [{id, name}]
export const PICTURE_CREDIT = list.credit;
const NAMES = new Map(PICTURES.map((p) => [p.id, p.name]));
export const pictureName = (id) => NAMES.get(id) ?? '';
export const pictureUrl = (id) => `/static/pictures/${encodeURIComponent(id)}.svg`;
