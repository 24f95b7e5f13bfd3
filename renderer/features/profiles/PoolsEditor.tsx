import { Button } from '@blueprintjs/core';
import { AddIcon } from '../../components/icons';
import { emptyPool, type PoolForm, type ProfileForm } from './draft';
import { poolNameField, shownFields } from './poolFields';
import { PoolRow } from './PoolRow';

interface Props {
  form: ProfileForm;
  /** The saved profile's id, which the cloud names of its pools default to; null for a new one. */
  profileId: string | null;
  /** Fields the last problems named (`pools[1].count`), drawn in red. */
  marked: ReadonlySet<string>;
  onChange: (pools: PoolForm[]) => void;
}

/** The pools of a profile as an editable table: one row per pool, the columns its kind uses. */
export function PoolsEditor({ form, profileId, marked, onChange }: Props) {
  const fields = shownFields(form.kind, form.pools);
  const context = { profileId, profileName: form.name, profileKind: form.kind };
  const update = (key: string, patch: Partial<PoolForm>) => onChange(form.pools.map((p) => (p.key === key ? { ...p, ...patch } : p)));
  return (
    <section className="pools-editor" aria-label="Pools">
      <div className="pools-editor-head">
        <h3 className="panel-title">Pools ({form.pools.length})</h3>
        <span className="muted pools-editor-note">Empty optional fields take the default shown in grey.</span>
      </div>
      {form.pools.length === 0 ? (
        <p className="muted pools-editor-none">No pools yet: a profile without pools has nothing to scale.</p>
      ) : (
        <div className="pools-editor-scroll">
          <table className="pools-editor-table" aria-label="Pools of the profile">
            <thead>
              <tr>
                <th scope="col" className={poolNameField.className} title={poolNameField.description}>
                  {poolNameField.label}
                </th>
                <th
                  scope="col"
                  className="pool-col-kind"
                  title="fixed: never scaled; on-demand: an Auto Scaling group; spot: groups of compatible types; specific: single named instances"
                >
                  Kind
                </th>
                {fields.map((f) => (
                  <th key={f.id} scope="col" className={f.className} title={f.description}>
                    {f.label}
                  </th>
                ))}
                <th scope="col" className="pool-col-remove" aria-label="Remove" />
              </tr>
            </thead>
            <tbody>
              {form.pools.map((p, i) => (
                <PoolRow
                  key={p.key}
                  index={i}
                  pool={p}
                  fields={fields}
                  marked={marked}
                  context={context}
                  onChange={(patch) => update(p.key, patch)}
                  onRemove={() => onChange(form.pools.filter((x) => x.key !== p.key))}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Button size="small" icon={<AddIcon />} text="Add pool" onClick={() => onChange([...form.pools, emptyPool()])} />
    </section>
  );
}
