import { describe, expect, it } from 'vitest';
import { cardParams, taskToPrefill } from './card-params.js';

const KEY = 'mturk:APA5QKHYESAA';

describe("a card action's address: checked, and dropped part by part when it doesn't fit", () => {
  it('reads the form, the requester, its name and the row’s task', () => {
    const search = `?${new URLSearchParams({ form: 'review', requester: KEY, tab: '3', name: 'Müller & Søn', taskId: '3AS5SGTU2GYRDPB34F61NLOFQ33W6Y', title: 'Categorize <b>x</b>', reward: '8 USD' })}`;
    expect(cardParams(search)).toEqual({
      form: 'review',
      requester: { key: KEY, name: 'Müller & Søn' },
      task: { requester: KEY, requesterName: 'Müller & Søn', taskId: '3AS5SGTU2GYRDPB34F61NLOFQ33W6Y', taskTitle: 'Categorize <b>x</b>', reward: { cents: 8, currency: 'USD' }, acceptedAt: null },
      review: null,
    });
  });
  it('drops a bad reward or task id, and refuses an unknown form or requester', () => {
    const bad = cardParams(`?${new URLSearchParams({ form: 'flag', requester: KEY, taskId: 'bad id!', reward: '-5 XYZ' })}`);
    expect(bad?.task).toBeNull();
    const noReward = cardParams(`?${new URLSearchParams({ form: 'flag', requester: KEY, taskId: 'T1', reward: 'lots' })}`);
    expect(noReward?.task?.reward).toBeNull();
    expect(cardParams(`?form=delete&requester=${KEY}`)).toBeNull();
    expect(cardParams('?form=review&requester=mturk:worker')).toBeNull();
  });
  it('reads the review to flag only with a plain id', () => {
    expect(cardParams(`?${new URLSearchParams({ form: 'review-flag', requester: KEY, review: 'r_1', reviewTitle: 'T', reviewOn: '2026-12-01' })}`)?.review).toEqual({ id: 'r_1', taskTitle: 'T', createdOn: '2026-12-01' });
    expect(cardParams(`?${new URLSearchParams({ form: 'review-flag', requester: KEY, review: '../x' })}`)?.review).toBeNull();
  });
});

describe('which task prefills the form', () => {
  const task = (taskId: string, acceptedAt: number | null = null) => ({ requester: KEY, requesterName: 'M', taskId, taskTitle: taskId, reward: null, acceptedAt });
  it('the page’s own when it is the same task (it knows when it was accepted), else the row’s', () => {
    expect(taskToPrefill(task('A', 5), task('A'), KEY)?.acceptedAt).toBe(5);
    expect(taskToPrefill(task('A', 5), task('B'), KEY)?.taskId).toBe('B');
    expect(taskToPrefill(null, task('B'), KEY)?.taskId).toBe('B');
    expect(taskToPrefill(task('A'), null, KEY)?.taskId).toBe('A');
    expect(taskToPrefill(null, task('B'), 'mturk:A1OTHERREQ00001')).toBeNull();
  });
});
