import { describe, expect, it } from 'vitest';
import { requesterFromInput as keyFromInput } from './requester-input.js';

/**
 * One reading for the blocklist's field and the suspension form's requester field. They
 * used to disagree on a lowercase MTurk id: the suspension form took it, the blocklist
 * refused it; an MTurk id is uppercase, so `a1acmelabs0001` can only mean one requester.
 */
describe('the blocklist takes what a worker can copy from the platform', () => {
  it.each([
    ['mturk:A1ACMELABS0001', 'mturk:A1ACMELABS0001'],
    ['A1ACMELABS0001', 'mturk:A1ACMELABS0001'],
    ['  A1ACMELABS0001 ', 'mturk:A1ACMELABS0001'],
    ['a1acmelabs0001', 'mturk:A1ACMELABS0001'],
    ['https://worker.mturk.com/requesters/A1ACMELABS0001/projects?ref=w_pl_prvw', 'mturk:A1ACMELABS0001'],
    ['worker.mturk.com/requesters/A1ACMELABS0001', 'mturk:A1ACMELABS0001'],
    ['https://worker.mturk.com/contact_requester/hit_type_messages/new?hit_type_message%5Brequester_id%5D=A1ACMELABS0001', 'mturk:A1ACMELABS0001'],
    ['5f1e2d3c4b5a69788796a5b4', 'prolific:5f1e2d3c4b5a69788796a5b4'],
    ['5F1E2D3C4B5A69788796A5B4', 'prolific:5f1e2d3c4b5a69788796a5b4'],
    ['prolific:5f1e2d3c4b5a69788796a5b4', 'prolific:5f1e2d3c4b5a69788796a5b4'],
    ['https://app.prolific.com/participant/researcher/5f1e2d3c4b5a69788796a5b4', 'prolific:5f1e2d3c4b5a69788796a5b4'],
    ['https://app.prolific.com/researchers/5f1e2d3c4b5a69788796a5b4/studies', 'prolific:5f1e2d3c4b5a69788796a5b4'],
  ])('%s → %s', (input, key) => {
    expect(keyFromInput(input)).toBe(key);
  });

  it.each(['', 'Acme Labs', 'mturk:nope', 'https://example.com/requesters/A1ACMELABS0001', 'https://worker.mturk.com/projects/3QX7', 'https://app.prolific.com/studies/5f1e2d3c4b5a69788796a5b4'])(
    'refuses %j',
    (input) => {
      expect(keyFromInput(input)).toBeNull();
    },
  );
});
