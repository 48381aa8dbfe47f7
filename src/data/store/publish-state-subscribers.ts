import { num, numOrNull, str, type Row } from './publish-state-sql.js';
import { RunState } from './publish-state-runs.js';

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed';
export type Cadence = 'daily' | 'weekly';
export type Subscriber = {
  address: string;
  status: SubscriberStatus;
  cadence: Cadence;
  alerts: boolean;
  createdMs: number;
  confirmedMs: number | null;
  unsubscribedMs: number | null;
};

function subscriberOf(r: Row): Subscriber {
  return {
    address: str(r['address']),
    status: str(r['status']) as SubscriberStatus,
    cadence: str(r['cadence']) as Cadence,
    alerts: Boolean(r['alerts']),
    createdMs: num(r['created_ms']),
    confirmedMs: numOrNull(r['confirmed_ms']),
    unsubscribedMs: numOrNull(r['unsubscribed_ms']),
  };
}

/** The newsletter's subscribers (address, status, cadence, alerts). */
export class SubscriberState extends RunState {
  // --- subscribers ---

  async subscriber(address: string): Promise<Subscriber | null> {
    const [r] = await this.db.query('SELECT * FROM subscribers WHERE address = $1', [address]);
    return r ? subscriberOf(r) : null;
  }

  async subscribers(status?: SubscriberStatus): Promise<Subscriber[]> {
    const rows = status
      ? await this.db.query('SELECT * FROM subscribers WHERE status = $1 ORDER BY address', [status])
      : await this.db.query('SELECT * FROM subscribers ORDER BY address');
    return rows.map(subscriberOf);
  }

  async putSubscriber(s: Subscriber): Promise<void> {
    await this.transaction(async () => {
      await this.db.exec('DELETE FROM subscribers WHERE address = $1', [s.address]);
      await this.db.exec('INSERT INTO subscribers VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        s.address,
        s.status,
        s.cadence,
        s.alerts,
        s.createdMs,
        s.confirmedMs,
        s.unsubscribedMs,
      ]);
    });
  }

  async removeSubscriber(address: string): Promise<boolean> {
    const [r] = await this.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM subscribers WHERE address = $1',
      [address],
    );
    await this.db.exec('DELETE FROM subscribers WHERE address = $1', [address]);
    return Number(r?.n ?? 0) > 0;
  }
}
