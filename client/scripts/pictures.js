// Copies the pictures a child can choose (the ids in server/pictures.json, the one list the
// server checks against) from the openmoji package into dist/pictures, with its licence.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const list = JSON.parse(readFileSync(join(here, '../../server/pictures.json'), 'utf8'));
const from = join(here, '../node_modules/openmoji');
const to = join(here, '../dist/pictures');
mkdirSync(to, { recursive: true });
for (const { id } of list.pictures) copyFileSync(join(from, 'color/svg', `${id}.svg`), join(to, `${id}.svg`));
copyFileSync(join(from, 'LICENSE.txt'), join(to, 'LICENSE.txt'));
