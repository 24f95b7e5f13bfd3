import { HTMLSelect } from '@blueprintjs/core';

/** The kinds of entry seen so far; choosing one asks the host for that kind only. */
export function KindFilter({ kinds, value, onChange }: { kinds: readonly string[]; value: string; onChange: (kind: string) => void }) {
  const options = value && !kinds.includes(value) ? [...kinds, value] : kinds;
  return (
    <HTMLSelect value={value} onChange={(e) => onChange(e.currentTarget.value)} aria-label="Filter by kind">
      <option value="">All kinds</option>
      {[...options].sort().map((k) => (
        <option key={k} value={k}>
          {k}
        </option>
      ))}
    </HTMLSelect>
  );
}
