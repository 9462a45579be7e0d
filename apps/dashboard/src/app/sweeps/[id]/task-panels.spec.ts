import * as React from 'react';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TaskCurvesPanel } from './task-curves-panel';
import { TaskScatterPanel } from './task-scatter-panel';

// Next compiles the components' JSX itself (tsconfig jsx: preserve); under vitest it becomes
// React.createElement calls, which need React in scope.
(globalThis as { React?: typeof React }).React = React;

/** Server-rendered markup without React's text separators (`<!-- -->`). */
const render = (el: React.ReactElement) => renderToString(el).replaceAll('<!-- -->', '');

// The panels' first render (as the server sends it): headings, menus and empty states, no chart
// canvas yet. What the charts draw is tested on the pure functions in lib/task-metrics.
describe('multi-task panels', () => {
  it('per-task curves: a menu of kinds and one section per task', () => {
    const html = render(
      createElement(TaskCurvesPanel, {
        sweepId: 's1',
        tasks: ['item', 'group'],
        trials: [{ id: 't1', number: 1, status: 'completed' }],
      }),
    );
    expect(html).toContain('Per-task curves');
    for (const kind of ['val_acc', 'val_loss', 'loss', 'task_weight']) {
      expect(html).toContain(`>${kind}</option>`);
    }
    expect(html).toContain('No val_acc_item points reported yet.');
    expect(html).toContain('No val_acc_group points reported yet.');
  });

  it('task scatter: task menus, the front hint only with several objectives', () => {
    const trials = [{ id: 't1', number: 1, values: { val_acc_item: 0.8, val_acc_group: 0.9 } }];
    const props = { tasks: ['item', 'group'], trials };
    const single = render(createElement(TaskScatterPanel, { ...props, frontTrialIds: [] }));
    expect(single).toContain('Task against task');
    expect(single).toContain('val_acc_group against val_acc_item per trial');
    expect(single).not.toContain('Pareto front');
    const multi = render(createElement(TaskScatterPanel, { ...props, frontTrialIds: ['t1'] }));
    expect(multi).toContain('Pareto front');
    const none = render(
      createElement(TaskScatterPanel, { ...props, trials: [], frontTrialIds: [] }),
    );
    expect(none).toContain('No trial has reported both val_acc_item and val_acc_group yet.');
  });
});
