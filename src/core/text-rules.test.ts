/**
 * Issue 14 review, item 1–2: text cut on a character boundary (cutText), and old stored
 * text mended for reading back (repairText) so that it passes the same checks new text does.
 */
import { describe, expect, it } from 'vitest';
import { ReviewInput, repairText } from './schemas.js';
import { cutText } from './text-cut.js';

const EMOJI = '\u{1F600}'; // two UTF-16 units

describe('cutText', () => {
  it('never leaves half a surrogate pair: a pair across the bound is left out whole', () => {
    const title = `${'a'.repeat(299)}${EMOJI} and more`;
    expect(() => encodeURIComponent(title.slice(0, 300))).toThrow(URIError); // what `.slice(0, 300)` did: a lone surrogate
    expect(cutText(title, 300)).toBe('a'.repeat(299));
    expect(cutText(`${'a'.repeat(298)}${EMOJI}x`, 300)).toBe(`${'a'.repeat(298)}${EMOJI}`);
    expect(cutText('short', 300)).toBe('short');
  });

  it('a title cut at the bound is accepted by the schema (it was refused whole)', () => {
    const title = `${'a'.repeat(299)}${EMOJI}`;
    expect(ReviewInput.safeParse({ ...base, taskTitle: title.slice(0, 300) }).success).toBe(false);
    expect(ReviewInput.parse({ ...base, taskTitle: cutText(title, 300) }).taskTitle).toBe('a'.repeat(299));
  });
});

const base = {
  requester: 'mturk:A1ACMELABS0001',
  requesterName: 'Acme',
  taskId: 'T1',
  taskTitle: 'A task',
  reward: { cents: 100, currency: 'USD' },
  bonusCents: 0,
  minutes: 6,
  finished: true,
  outcome: 'approved',
  daysToDecision: 2,
  ratings: { pay: 4, fairness: 5, speed: 4, communication: null },
  tags: [],
  text: 'A fine task, paid on time.',
};

describe('repairText (old stored text, read back)', () => {
  it('multi-line: other line breaks become "\\n"; tab, LF, CR stay; refused characters become U+FFFD', () => {
    expect(repairText('a\u000bb\u000cc\u0085d\u2028e\u2029f', true)).toBe('a\nb\nc\nd\ne\nf');
    expect(repairText('tab\there\r\nnext', true)).toBe('tab\there\r\nnext');
    expect(repairText('nul\u0000 bel\u0007 del\u007f csi\u009b', true)).toBe('nul\ufffd bel\ufffd del\ufffd csi\ufffd');
    expect(repairText('lone \ud800 low \udfff pair \u{1F600}', true)).toBe('lone \ufffd low \ufffd pair \u{1F600}');
    expect(repairText('non \ufdd0 \uffff \u{10ffff}', true)).toBe('non \ufffd \ufffd \ufffd');
  });

  it('one-line: tabs and line breaks become one space', () => {
    expect(repairText('Acme\n\tResearch\u000b\u0085Lab', false)).toBe('Acme Research Lab');
    expect(repairText('A\u0000B', false)).toBe('A\ufffdB');
  });

  it('what it returns passes the schema that refused the original', () => {
    const bad = { ...base, requesterName: 'Acme\tLabs\u0000', taskTitle: 'Survey \ud83d', text: 'Pasted\u000bfrom Word \u0001 \ufffe end' };
    expect(ReviewInput.safeParse(bad).success).toBe(false);
    const mended = ReviewInput.parse({
      ...bad,
      requesterName: repairText(bad.requesterName, false),
      taskTitle: repairText(bad.taskTitle, false),
      text: repairText(bad.text, true),
    });
    expect(mended).toMatchObject({ requesterName: 'Acme Labs\ufffd', taskTitle: 'Survey \ufffd', text: 'Pasted\nfrom Word \ufffd \ufffd end' });
  });
});
