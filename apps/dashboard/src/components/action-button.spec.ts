import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionButton, AmountAction } from './action-button';

// Next compiles JSX itself; vitest's transform here is the classic one, which needs React in scope.
(globalThis as { React?: typeof React }).React = React;

type ButtonElement = React.ReactElement<{ onClick: () => void; disabled: boolean }>;

const click = (props: Parameters<typeof ActionButton>[0]) =>
  (ActionButton(props) as ButtonElement).props.onClick();

describe('ActionButton', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is disabled while an action runs or when its own condition says so', () => {
    const html = (busy: boolean, disabled?: boolean) =>
      renderToStaticMarkup(
        React.createElement(ActionButton, { busy, disabled, onClick: () => {}, children: 'Go' }),
      );
    expect(html(false)).not.toContain('disabled');
    expect(html(true)).toContain('disabled');
    expect(html(false, true)).toContain('disabled');
  });

  it('marks dangerous actions and asks before running them', () => {
    const onClick = vi.fn();
    const html = renderToStaticMarkup(
      React.createElement(ActionButton, { busy: false, danger: true, onClick, children: 'Delete' }),
    );
    expect(html).toContain('class="button danger"');
    vi.stubGlobal('window', { confirm: () => false });
    click({ busy: false, confirm: 'Sure?', onClick, children: 'Delete' });
    expect(onClick).not.toHaveBeenCalled();
    vi.stubGlobal('window', { confirm: () => true });
    click({ busy: false, confirm: 'Sure?', onClick, children: 'Delete' });
    expect(onClick).toHaveBeenCalledTimes(1);
  });
});

describe('AmountAction', () => {
  it('disables its button while the amount is invalid', () => {
    const html = (valid: boolean) =>
      renderToStaticMarkup(
        React.createElement(AmountAction, {
          label: 'extra trials',
          value: 0,
          onChange: () => {},
          min: 1,
          valid,
          busy: false,
          onSubmit: () => {},
          children: 'Add trials',
        }),
      );
    expect(html(false)).toMatch(/<button[^>]*disabled/);
    expect(html(true)).not.toMatch(/<button[^>]*disabled/);
    expect(html(true)).toContain('aria-label="extra trials"');
  });
});
