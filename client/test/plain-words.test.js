import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { compilePlainWords, findJargon, usePlainWords } from '../src/plain-words.js';

const fileOf = (code) => JSON.parse(readFileSync(new URL(`../../server/plain_words/${code}.json`, import.meta.url), 'utf8'));
const ENGLISH = compilePlainWords(fileOf('en'));
const found = (text, list = ENGLISH) => findJargon(text, list).map((match) => match.found);

describe('finding jargon as someone types', () => {
  test('whole words and phrases, in any case, with a hyphen or a space', () => {
    assert.deepEqual(found('Non-engagement with the core group since May'), ['Non-engagement', 'core group']);
    assert.deepEqual(found('non engagement'), ['non engagement']);
    assert.deepEqual(found('A SECTION 47 enquiry'), ['SECTION 47 enquiry']);
    assert.deepEqual(found('Gran and Dad cooked tea together'), []);
  });

  test('plurals by the list\'s endings; never part of another word', () => {
    assert.deepEqual(found('Two placements broke down'), ['placements']);
    assert.deepEqual(found('The contacts went well'), ['contacts']);
    assert.deepEqual(found('contactless card, replacement window'), []);
  });

  test('an acronym only in capitals, so everyday words are left alone', () => {
    assert.deepEqual(found('Ava is LAC'), ['LAC']);
    assert.deepEqual(found('That was ace, said Leo'), []);
    assert.deepEqual(found('Talk about ACEs'), ['ACEs']);
  });

  test('the longer of two phrases that overlap; each says what to say instead', () => {
    const [match] = findJargon('We saw disguised compliance', ENGLISH);
    assert.equal(match.jargon, 'disguised compliance');
    assert.deepEqual(match.plain, ['saying things are fine when they are not', 'agreeing, but things not changing']);
    assert.deepEqual(found('Mum is not engaging'), ['not engaging']);
  });

  test('a list in another language, with its own forms and a curly apostrophe', () => {
    const welsh = compilePlainWords(fileOf('cy'));
    assert.deepEqual(found('Ava: plentyn sy’n derbyn gofal', welsh), ['plentyn sy’n derbyn gofal']);
    assert.deepEqual(found("plant sy'n derbyn gofal", welsh), ["plant sy'n derbyn gofal"]);
    const polish = compilePlainWords(fileOf('pl'));
    assert.deepEqual(found('Widać zaniedbania w domu', polish), ['zaniedbania']);
  });
});

describe('using the plain words', () => {
  test('they take the jargon\'s place, with a capital where it started a sentence', () => {
    const text = 'Non-engagement since May.';
    const [match] = findJargon(text, ENGLISH);
    assert.deepEqual(usePlainWords(text, match, 'not coming to meetings'), {
      text: 'Not coming to meetings since May.',
      caret: 'Not coming to meetings'.length,
    });
    const later = 'Worried about neglect at home';
    assert.equal(usePlainWords(later, findJargon(later, ENGLISH)[0], 'not getting the care they need').text, 'Worried about not getting the care they need at home');
  });

  test('an acronym gives no capital to the words in its place', () => {
    const text = 'LAC since 2025';
    assert.equal(usePlainWords(text, findJargon(text, ENGLISH)[0], 'a child in care').text, 'a child in care since 2025');
  });
});
