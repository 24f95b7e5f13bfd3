import type { ClusterEvent } from '../contract/events.js';
import type { Db } from './database.js';

type NewEvent = Omit<ClusterEvent, 'id'>;

export function eventRepository(db: Db) {
  const insert = db.prepare('INSERT INTO cluster_events (profile_id, at, kind, subject, message) VALUES (?, ?, ?, ?, ?)');
  const after = db.prepare<[string, number, number], ClusterEvent>(
    `SELECT id, at, kind, subject, message FROM cluster_events
     WHERE profile_id = ? AND id > ? ORDER BY id LIMIT ?`,
  );
  const listeners = new Set<(profileId: string, e: ClusterEvent) => void>();

  return {
    append(profileId: string, e: NewEvent): ClusterEvent {
      const info = insert.run(profileId, e.at, e.kind, e.subject, e.message);
      const event: ClusterEvent = { id: Number(info.lastInsertRowid), ...e };
      for (const l of listeners) l(profileId, event);
      return event;
    },
    /** Keyset page: events with id > cursor, oldest first. */
    after(profileId: string, cursor: number, limit: number): ClusterEvent[] {
      return after.all(profileId, cursor, limit);
    },
    /** Called after each committed append; returns an unsubscribe function. */
    onAppend(l: (profileId: string, e: ClusterEvent) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
export type EventRepository = ReturnType<typeof eventRepository>;
