/**
 * Issue 14: text that one database accepts and the other refuses. PostgreSQL's text refuses
 * NUL (a suspension report's or a flag's note with one was a 500 there and a stored row on
 * SQLite); lone surrogates were stored as an escape on one path and U+FFFD on another. Now
 * every text field refuses what is not clean text (core/fields.ts) and normalises the rest
 * the same way — so the same request gets the same answer, and reads back the same text,
 * on SQLite and PostgreSQL. The extension validates with the same schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionReason } from '../core/moderation-protocol.js';
import { ReviewInput, TEXT_CONTROL, TEXT_NONCHARACTER, TEXT_NOT_UNICODE } from '../core/schemas.js';
import { sha256Hex } from './http/guards.js';
import { runModeratorCommand } from './moderation/roles-cli.js';
import { KEY_A, KEY_B, review } from './testing/builders.js';
import { testBackends } from './testing/databases.js';
import { startTestServer, type TestServer } from './testing/harness.js';
import { dataTables } from './testing/hostile.js';

/** What is refused, by the sentence the refusal carries. */
const REFUSED: [label: string, text: string, says: string][] = [
  ['NUL', 'before\u0000after', TEXT_CONTROL],
  ['a lone high surrogate', 'before\ud800after', TEXT_NOT_UNICODE],
  ['a lone low surrogate', 'before\udfffafter', TEXT_NOT_UNICODE],
  ['reversed surrogates', 'before\udc00\ud800after', TEXT_NOT_UNICODE],
  ['BEL (C0)', 'before\u0007after', TEXT_CONTROL],
  ['ESC (C0)', 'before\u001b[31mafter', TEXT_CONTROL],
  ['DEL', 'before\u007fafter', TEXT_CONTROL],
  ['CSI (C1)', 'before\u009bafter', TEXT_CONTROL],
  ['U+FDD0', 'before\ufdd0after', TEXT_NONCHARACTER],
  ['U+FFFE', 'before\ufffeafter', TEXT_NONCHARACTER],
  ['U+1FFFF', 'before\u{1ffff}after', TEXT_NONCHARACTER],
  ['U+10FFFF', 'before\u{10ffff}after', TEXT_NONCHARACTER],
];

/**
 * Line breaks other than LF and CR. Refused here until review (issue 14, item 1): Word's
 * manual line break pastes as VT, so a pasted review was a 400. The rule changed: in
 * multi-line text (review text, notes, a moderator's reason) they become "\n"; in one-line
 * text (names, titles) VT, FF and NEL are still control characters and refused.
 */
const OTHER_LINE_BREAKS: [label: string, char: string][] = [
  ['vertical tab (VT)', '\u000b'],
  ['form feed (FF)', '\u000c'],
  ['next line (NEL, C1)', '\u0085'],
  ['line separator (LS)', '\u2028'],
  ['paragraph separator (PS)', '\u2029'],
];

/** Accepted, and stored (and read back) as the second text on both databases. */
const NORMALISED: [label: string, sent: string, stored: string][] = [
  ['NFD becomes NFC', 'Cafe\u0301 a\u030a n\u0303 — long enough', 'Caf\u00e9 \u00e5 \u00f1 — long enough'],
  ['Hangul jamo become syllables', '\u1100\u1161\u11a8 is a syllable here', '\uac01 is a syllable here'],
  ['a bidi override is removed', 'paid \u202e05.0$\u202c per hour, fair', 'paid 05.0$ per hour, fair'],
  ['bidi isolates are removed', 'name \u2066\u2067x\u2069\u2068y\u2069 here ok', 'name xy here ok'],
  ['outer spaces after removal are trimmed', '\u202e  spaced text here  \u202c', 'spaced text here'],
  ['line breaks and tabs stay in free text', 'line one\nline two\r\n\tindented', 'line one\nline two\r\n\tindented'],
];

/** One character from each plane that has assigned characters (and private use), all accepted as is. */
const EVERY_PLANE =
  'BMP é ß Ω ж 中 한 ' + // plane 0
  '\u{1F600} \u{1D11E} \u{10348} ' + // plane 1: emoji, musical symbol, Gothic
  '\u{20000} \u{2A6D6} ' + // plane 2: CJK extension B
  '\u{30000} ' + // plane 3: CJK extension G
  '\u{E0041}\u{E007F} ' + // plane 14: tags
  '\u{F0000} \u{10FFFD} end'; // planes 15–16: private use

describe('text fields, as the extension checks them (the same schemas)', () => {
  it('refuses what the server refuses and stores what the server stores', () => {
    for (const [, text, says] of REFUSED) {
      const result = ReviewInput.safeParse({ ...review(), text });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ path: ['text'], message: says });
    }
    for (const [, sent, stored] of NORMALISED) expect(ReviewInput.parse({ ...review(), text: sent }).text).toBe(stored);
    expect(ReviewInput.parse({ ...review(), text: EVERY_PLANE }).text).toBe(EVERY_PLANE);
    for (const [label, char] of OTHER_LINE_BREAKS) {
      expect(ReviewInput.parse({ ...review(), text: `line one${char}line two, long enough` }).text, label).toBe('line one\nline two, long enough');
    }
    for (const [label, char] of OTHER_LINE_BREAKS.slice(0, 3)) {
      expect(ReviewInput.safeParse({ ...review(), taskTitle: `one${char}two` }).error?.issues[0], label).toMatchObject({ path: ['taskTitle'], message: TEXT_CONTROL });
    }
    // Trimmed before the check, as release 0.1.0 did: a title attribute ending in a line break is a title.
    expect(ReviewInput.parse({ ...review(), requesterName: '\n\tAcme Research\n', taskTitle: '\tA survey\r\n' })).toMatchObject({ requesterName: 'Acme Research', taskTitle: 'A survey' });
    // The length bound is on the stored (NFC) text: 2,000 decomposed é are 4,000 code units sent.
    expect(ReviewInput.safeParse({ ...review(), text: 'e\u0301'.repeat(2000) }).success).toBe(true);
    expect(ReviewInput.safeParse({ ...review(), text: 'e\u0301'.repeat(2001) }).success).toBe(false);
  });
});

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`text fields on ${backend}`, () => {
    let t: TestServer;
    let secret: string;
    let admin: string;
    let reviewId: string;
    let reportId: string;
    let before: Record<string, string[]>;

    beforeAll(async () => {
      t = await startTestServer(backend, { logLevel: 'warn' });
      secret = await t.account();
      admin = await t.account();
      const database = t.db.options.schema ? `${t.db.database}${t.db.database.includes('?') ? '&' : '?'}schema=${t.db.options.schema}` : t.db.database;
      await runModeratorCommand(['grant', '--role', 'admin', '--account', sha256Hex(admin), '--database', database], { out: () => undefined, err: () => undefined });
      reviewId = (await t.request('POST', '/v1/reviews', { secret, body: review({ taskId: 'KEEP' }) })).json.review.id;
      reportId = (await t.request('POST', '/v1/suspension-reports', { secret, body: report('first note') })).json.id;
      before = await dataTables(t.db);
    });
    afterAll(() => t?.close());

    const report = (note: string, taskTitle = 'A task', requesterName = 'Acme', taskId = 'T1') => ({
      tasks: [{ requester: KEY_A, requesterName, taskId, taskTitle }],
      requesters: [{ requester: KEY_B, requesterName: 'Beta' }],
      suspendedOn: '2026-01-07',
      note,
    });

    /** Every text field a client can send, as [field path named in the refusal, method, path, body]. */
    const fields = (text: string): [string, string, () => string, unknown, 'author' | 'admin'][] => [
      ['text', 'POST', () => '/v1/reviews', review({ text }), 'author'],
      ['requesterName', 'POST', () => '/v1/reviews', review({ requesterName: text }), 'author'],
      ['taskTitle', 'PUT', () => `/v1/reviews/${reviewId}`, review({ taskId: 'KEEP', taskTitle: text }), 'author'],
      ['note', 'POST', () => '/v1/suspension-reports', report(text), 'author'],
      ['tasks.0.taskTitle', 'PUT', () => `/v1/suspension-reports/${reportId}`, report('a note', text), 'author'],
      ['tasks.0.requesterName', 'POST', () => '/v1/suspension-reports', report('a note', 'A task', text), 'author'],
      ['note', 'POST', () => '/v1/requester-flags', { requester: KEY_A, requesterName: 'Acme', reason: 'phishing', note: text }, 'author'],
      ['note', 'POST', () => '/v1/review-flags', { reviewId, reason: 'other', note: text }, 'author'],
      ['reason', 'POST', () => `/v1/moderation/reviews/${reviewId}/hide`, { reason: text }, 'admin'],
    ];

    it(`refuses ${REFUSED.length} kinds of unclean text in every text field: 400 naming it, no row changed`, async () => {
      const answers: string[] = [];
      for (const [label, text, says] of REFUSED) {
        for (const [field, method, path, body, who] of fields(`${text} and enough words to count`)) {
          const res = await t.request(method, path(), { secret: who === 'admin' ? admin : secret, body });
          answers.push(`${label} → ${method} ${path()} ${field}: ${res.status} ${res.json?.field} ${res.json?.message}`);
          expect(res.status, `${label} in ${field} (${method} ${path()})`).toBe(400);
          expect(res.json).toMatchObject({ error: 'invalid_request', field, message: `${field}: ${says}` });
        }
      }
      expect(answers).toHaveLength(REFUSED.length * fields('').length);
      expect(await dataTables(t.db)).toEqual(before);
    });

    it('one-line fields refuse line breaks and tabs inside; free text keeps them', async () => {
      for (const inner of ['a\tb', 'a\nb', 'a\u000bb', 'a\u000cb', 'a\u0085b']) {
        for (const [field, method, path, body, who] of fields(inner).filter(([f]) => /Name|Title/.test(f))) {
          const res = await t.request(method, path(), { secret: who === 'admin' ? admin : secret, body });
          expect({ status: res.status, field: res.json?.field }, JSON.stringify(inner)).toEqual({ status: 400, field });
        }
      }
      expect(await dataTables(t.db)).toEqual(before);
    });

    it('one-line fields are trimmed before the check: a leading or trailing line break or tab is accepted (as in 0.1.0)', async () => {
      const writer = await t.account();
      const created = await t.request('POST', '/v1/reviews', { secret: writer, body: review({ requesterName: '\n\tAcme Research\n', taskTitle: '\tA survey\r\n' }) });
      expect(created.status).toBe(201);
      expect(created.json.review).toMatchObject({ requesterName: 'Acme Research', taskTitle: 'A survey' });
      const filed = await t.request('POST', '/v1/suspension-reports', { secret: writer, body: report('a note', '\nA task\t', '\tAcme\n', 'TRIM') });
      expect(filed.status).toBe(201);
      const own = (await t.request('GET', '/v1/suspension-reports/mine', { secret: writer })).json.reports.find((r: { id: string }) => r.id === filed.json.id);
      expect(own.tasks[0]).toMatchObject({ taskTitle: 'A task', requesterName: 'Acme' });
    });

    it('multi-line fields take VT, FF, NEL, LS and PS as line breaks: stored as "\\n" on both databases', async () => {
      const writer = await t.account();
      for (const [i, [label, char]] of OTHER_LINE_BREAKS.entries()) {
        const sent = `pasted from Word${char}second line${char}`;
        const created = await t.request('POST', '/v1/reviews', { secret: writer, body: review({ taskId: `LB${i}`, text: sent }) });
        expect(created.status, label).toBe(201);
        const mine = (await t.request('GET', '/v1/account/reviews', { secret: writer })).json.reviews.find((r: { id: string }) => r.id === created.json.review.id);
        expect(mine.text, label).toBe('pasted from Word\nsecond line');
        const flag = await t.request('POST', '/v1/requester-flags', { secret: writer, body: { requester: KEY_A, requesterName: 'Acme', reason: 'phishing', note: `a${char}b` } });
        expect(flag.status, label).toBeLessThan(300);
      }
    });

    it('normalises the same way on both databases: what is read back is the NFC text without bidi controls', async () => {
      const writer = await t.account();
      for (const [i, [label, sent, stored]] of [...NORMALISED, ['every Unicode plane', EVERY_PLANE, EVERY_PLANE] as const].entries()) {
        const created = await t.request('POST', '/v1/reviews', { secret: writer, body: review({ text: sent, taskTitle: sent.split('\n')[0]!, requesterName: 'Acme' }) });
        expect(created.status, label).toBe(201);
        expect(created.json.review.text, label).toBe(stored);
        const mine = (await t.request('GET', '/v1/account/reviews', { secret: writer })).json.reviews.find((r: { id: string }) => r.id === created.json.review.id);
        expect(mine.text, label).toBe(stored);
        expect(mine.taskTitle, label).toBe(stored.split('\n')[0]!.trim());

        // One live report per account and week: the later ones replace it (200), each read back.
        const filed = await t.request('POST', '/v1/suspension-reports', { secret: writer, body: report(sent, 'A task', sent.split('\n')[0]!, `N${i}`) });
        expect([200, 201], label).toContain(filed.status);
        const reports = (await t.request('GET', '/v1/suspension-reports/mine', { secret: writer })).json.reports as { id: string; note: string; tasks: { requesterName: string }[] }[];
        const own = reports.find((r) => r.id === filed.json.id)!;
        expect(own.note, label).toBe(stored);
        expect(own.tasks[0]!.requesterName, label).toBe(stored.split('\n')[0]!.trim());
      }
    });

    it('an edit typed composed stores the same text as the decomposed original', async () => {
      const first = await t.request('POST', '/v1/reviews', { secret, body: review({ taskId: 'NFC-1', text: 'Re\u0301sume\u0301 task, decomposed' }) });
      const again = await t.request('PUT', `/v1/reviews/${first.json.review.id}`, { secret, body: review({ taskId: 'NFC-1', text: 'R\u00e9sum\u00e9 task, decomposed' }) });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      // The same text after normalisation: the edit changes nothing a reader sees.
      expect(again.json.review.text).toBe(first.json.review.text);
    });
  });
}

it('the moderators\' reason is checked like every other text (shared with the moderation page)', () => {
  expect(ActionReason.safeParse('ok \u0000 reason').success).toBe(false);
  expect(ActionReason.safeParse('ok \ud800 reason').success).toBe(false);
  expect(ActionReason.parse('  Re\u0301ason \u202eok  ')).toBe('R\u00e9ason ok');
  expect(ActionReason.safeParse('\u202e\u202c ab ').success).toBe(false);
  expect(ActionReason.parse('first\u000bsecond\u2029third')).toBe('first\nsecond\nthird');
});
