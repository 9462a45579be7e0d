import type { ReactNode } from 'react';

interface ActionButtonProps {
  onClick: () => void;
  busy: boolean;
  /** Extra reason to disable it besides an action in flight (e.g. an invalid amount). */
  disabled?: boolean;
  danger?: boolean;
  /** Asked with window.confirm first; the action runs only when the user agrees. */
  confirm?: string;
  title?: string;
  children: ReactNode;
}

/** A button of an action row: disabled while any action of the row runs (useAction's busy). */
export function ActionButton({
  onClick,
  busy,
  disabled,
  danger,
  confirm,
  title,
  children,
}: ActionButtonProps) {
  return (
    <button
      type="button"
      className={danger ? 'button danger' : 'button'}
      disabled={busy || disabled}
      title={title}
      onClick={() => {
        if (confirm && !window.confirm(confirm)) return;
        onClick();
      }}
    >
      {children}
    </button>
  );
}

interface AmountActionProps {
  label: string;
  value: number;
  onChange: (value: number) => void;
  min: number;
  step?: string;
  /** Whether the amount may be submitted. */
  valid: boolean;
  busy: boolean;
  onSubmit: () => void;
  children: ReactNode;
}

/** A number input with the button that submits it (add trials, add GPU hours). */
export function AmountAction({
  label,
  value,
  onChange,
  min,
  step,
  valid,
  busy,
  onSubmit,
  children,
}: AmountActionProps) {
  return (
    <span className="extend">
      <input
        type="number"
        min={min}
        step={step}
        aria-label={label}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <ActionButton busy={busy} disabled={!valid} onClick={onSubmit}>
        {children}
      </ActionButton>
    </span>
  );
}
