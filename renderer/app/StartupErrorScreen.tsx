import { Callout, Intent } from '@blueprintjs/core';
import type { AppStatus, ContractError, ErrorCode } from '../../core/contract';
import { CopyableText } from '../components/CopyableText';
import { ErrorIcon } from '../components/icons';
import { TopBar } from './TopBar';
import './StartupErrorScreen.css';

const titles: Partial<Record<ErrorCode, string>> = {
  STORE_CORRUPT: 'The console’s database is damaged',
  STORE_UNREADABLE: 'The console cannot open its database',
  STORE_NEWER_VERSION: 'The database belongs to a newer console',
  STORE_DRIVER_MISMATCH: 'The console’s SQLite driver does not fit this runtime',
  PROFILE_NOT_FOUND: 'The cluster profile to open does not exist',
};

/**
 * The console started without its store or profile, so no screen can work. Everything the
 * user needs to fix it is here: what happened (the message names the file), what to do, and
 * the paths to copy into a terminal.
 */
export function StartupErrorScreen({ status, error }: { status: AppStatus; error: ContractError }) {
  return (
    <div className="startup-error">
      <TopBar status={status} />
      <main className="startup-error-main">
        <Callout
          intent={Intent.DANGER}
          icon={<ErrorIcon size={20} />}
          title={titles[error.code] ?? 'The console could not start'}
          className="startup-error-callout"
          role="alert"
        >
          <p className="startup-error-message">{error.message}</p>
          {error.hint && (
            <section className="startup-error-hint" aria-label="What to do">
              <h3>What to do</h3>
              <p>{error.hint}</p>
            </section>
          )}
          <dl className="startup-error-details">
            <dt>Database file</dt>
            <dd>
              <CopyableText text={status.databaseFile} label="database file path" />
            </dd>
            <dt>Data folder</dt>
            <dd>
              <CopyableText text={status.dataDir} label="data folder path" />
            </dd>
            <dt>Error code</dt>
            <dd>
              <code>{error.code}</code>
            </dd>
          </dl>
          <p className="muted startup-error-footnote">Until this is fixed, no screen can show cluster data.</p>
        </Callout>
      </main>
    </div>
  );
}
