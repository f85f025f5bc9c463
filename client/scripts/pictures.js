// Copies the bundled pictures (server/pictures.json: the ids a child can choose, the one list
// the server checks against, and those of "Our plan in easy read") from the openmoji package
// into dist/pictures, with its licence.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const list = JSON.parse(readFileSync(join(here, '../../server/pictures.json'), 'utf8'));
const from = join(here, '../node_modules/openmoji');
const to = join(here, '../dist/pictures');
const ids = new Set([...list.pictures.map(({ id }) => id), ...Object.values(list.easy_read)]);
mkdirSync(to, { recursive: true });
for (const id of ids) copyFileSync(join(from, 'color/svg', `${id}.svg`), join(to, `${id}.svg`));
copyFileSync(join(from, 'LICENSE.txt'), join(to, 'LICENSE.txt'));
