/**
 * Per-class accuracy is reported as one final value per class, named with this prefix
 * (`val_acc_class_cat`); pages show them as a table, not as metrics of their own.
 */
export const PER_CLASS_ACCURACY_PREFIX = 'val_acc_class_';

export const perClassAccuracyName = (className: string) =>
  `${PER_CLASS_ACCURACY_PREFIX}${className}`;

export const isPerClassAccuracy = (metricName: string) =>
  metricName.startsWith(PER_CLASS_ACCURACY_PREFIX);

/** Per-class accuracies among a trial's final values, by class name (natural order). */
export function perClassAccuracy(values: Record<string, number>): { label: string; acc: number }[] {
  return Object.entries(values)
    .filter(([k]) => isPerClassAccuracy(k))
    .map(([k, acc]) => ({ label: k.slice(PER_CLASS_ACCURACY_PREFIX.length), acc }))
    .sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
}
