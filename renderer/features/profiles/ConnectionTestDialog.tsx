import { Button, Dialog, DialogBody, DialogFooter, Spinner } from '@blueprintjs/core';
import { useQuery } from '@tanstack/react-query';
import type { CallInput, ConnectionCheck } from '../../../core/contract';
import { useApi } from '../../api/context';
import { toApiError } from '../../api/errors';
import { ErrorView } from '../../components/ErrorView';
import { ErrorIcon, InfoSignIcon, TickCircleIcon } from '../../components/icons';
import './connection.css';

const partLabel: Record<ConnectionCheck['part'], string> = {
  mesos: 'Mesos leader',
  aurora: 'Aurora scheduler',
  aws: 'AWS identity',
  agent: 'Sample agent',
};

/**
 * "Test connection": each part of a real cluster asked on its own line, so what works is seen
 * beside what does not (a dead scheduler does not hide a healthy master).
 */
export function ConnectionTestDialog({ name, input, onClose }: { name: string; input: CallInput<'profiles.test'>; onClose: () => void }) {
  const api = useApi();
  const test = useQuery({
    queryKey: ['profiles.test', input],
    queryFn: async () => {
      try {
        return await api.call('profiles.test', input);
      } catch (e) {
        throw toApiError(e);
      }
    },
    gcTime: 0,
    staleTime: Infinity,
    retry: false,
  });
  return (
    <Dialog isOpen onClose={onClose} title={`Test connection: ${name}`} className="connection-dialog">
      <DialogBody>
        {test.isPending ? (
          <p className="connection-pending">
            <Spinner size={16} /> Asking the masters, the scheduler, AWS and one agent…
          </p>
        ) : test.isError ? (
          <ErrorView title="The test could not run" error={test.error} onRetry={() => void test.refetch()} retrying={test.isFetching} />
        ) : (
          <ul className="connection-checks" aria-label="Connection checks">
            {test.data.checks.map((c) => (
              <li
                key={c.part}
                className={`connection-check connection-${c.ok === null ? 'skipped' : c.ok ? 'ok' : 'failed'}`}
                data-part={c.part}
              >
                <span className="connection-icon" aria-hidden>
                  {c.ok === null ? <InfoSignIcon /> : c.ok ? <TickCircleIcon /> : <ErrorIcon />}
                </span>
                <span className="connection-part">{partLabel[c.part]}</span>
                <span className="connection-summary">
                  {c.summary}
                  {c.detail && <span className="connection-detail muted">{c.detail}</span>}
                  {c.hint && <span className="connection-hint">{c.hint}</span>}
                </span>
                <span className="connection-ms muted">{c.ok === null ? '' : `${c.ms} ms`}</span>
              </li>
            ))}
          </ul>
        )}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button text="Test again" loading={test.isFetching} onClick={() => void test.refetch()} />
            <Button intent="primary" text="Close" onClick={onClose} />
          </>
        }
      />
    </Dialog>
  );
}
