import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { pbtFamily } from '@retune/core';
import { twoMemberFamily } from '@retune/core/testing';
import { PbtFamilyPanel } from './pbt-family-panel';

// Next compiles JSX itself; vitest's transform here is the classic one, which needs React in scope.
(globalThis as { React?: typeof React }).React = React;

describe('PbtFamilyPanel', () => {
  it('draws one node per trial, a bold line per copy, and each final schedule', () => {
    const family = pbtFamily(twoMemberFamily());
    const html = renderToStaticMarkup(
      React.createElement(PbtFamilyPanel, {
        sweepId: 'sw1',
        metricName: 'val_acc',
        family: { ...family, searched: ['lr'] },
      }),
    );
    expect(html.match(/<circle/g)).toHaveLength(4);
    expect(html.match(/<line/g)).toHaveLength(2);
    expect(html.match(/stroke-width="2.5"/g)).toHaveLength(1);
    expect(html).toContain('member 1 copied member 0; lr 0.1→0.08 (perturb)');
    expect(html).toContain('href="/trials/sw1-t3"');
    expect(html).toContain('0–2 (from member 0) lr=0.1 · 2–4 lr=0.08');
  });
});
