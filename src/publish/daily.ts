import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sessionsBetween } from '../core/calendar/calendar.js';
import type { Config } from '../data/config.js';
import { runDoctor } from '../data/doctor.js';
import { ensureDir, writeFileAtomic } from '../data/files.js';
import type { PublishState, StepStatus } from '../data/store/publish-state.js';
import type { Store } from '../data/store/store.js';
import { plain } from '../report/narrative/text.js';
import type { TradingDate } from '../shared/brand.js';
import { addDays } from '../shared/dates.js';
import { InputError } from '../shared/errors.js';
import { AckJournal, ackJournalPath } from './ack-journal.js';
import { renderAlertMail } from './alert-mail.js';
import { evaluateAlerts, webhookBody, type AlertPayload } from './alerts.js';
import type { PublishConfig } from './config.js';
import { renderAtom, renderRss } from './feeds.js';
import { sendDue, type SendContext, type SendSummary } from './outbox.js';
import { isLastSessionOfWeek } from './session.js';

/** The steps of the daily run, in order (docs/publish.md). */
export const STEPS = ['sync', 'doctor', 'brief', 'archive', 'feed', 'newsletter', 'alerts'] as const;
export type StepName = (typeof STEPS)[number];

export type StepResult = { status: StepStatus; message: string };

export type DailyContext = {
  store: Store;
  state: PublishState;
  config: Config;
  publish: PublishConfig;
  session: TradingDate;
  /** The sync step, from the edge (it needs the providers and the network); null skips it. */
  sync: (() => Promise<StepResult>) | null;
  /** Sending: built lazily, only when there is something to send (SMTP settings are read then). */
  sender: () => SendContext;
  now: () => number;
  log: (line: string) => void;
};

export type DailyOutcome = {
  session: TradingDate;
  steps: { step: StepName; status: StepStatus | 'pending'; message: string }[];
  ok: boolean;
};

type Meta = { asOf: string; headline: string; summary: string };

function sessionDir(ctx: DailyContext): string {
  return resolve(ctx.publish.archiveDir, ctx.session);
}

function readMeta(ctx: DailyContext): Meta {
  const file = join(sessionDir(ctx), 'meta.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: the brief step must run first`);
  return JSON.parse(readFileSync(file, 'utf8')) as Meta;
}

const editionId = (session: string, kind: 'daily' | 'weekly') => `brief:${session}:${kind}`;

async function briefStep(ctx: DailyContext): Promise<StepResult> {
  // The brief and chart stack load only when a brief is made (a resumed run that is past this step never pays it).
  const { generateBrief } = await import('../report/publish.js');
  const { briefSummary, renderMailEdition } = await import('./newsletter.js');
  const dir = sessionDir(ctx);
  const r = await generateBrief(ctx.store, {
    asOf: ctx.session,
    outDir: dir,
    config: ctx.config,
    lastCompletedSession: ctx.session,
  });
  const meta: Meta = {
    asOf: r.brief.asOf,
    headline: plain(r.brief.headline),
    summary: briefSummary(r.brief),
  };
  writeFileAtomic(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  const now = ctx.now();
  const put = async (kind: 'daily' | 'weekly', weekly?: { session: string; headline: string }[]) => {
    const m = renderMailEdition(r.brief, weekly ? { weekly } : {});
    await ctx.state.putEditionOnce({
      id: editionId(ctx.session, kind),
      session: ctx.session,
      kind: `brief-${kind}`,
      subject: kind === 'weekly' ? `Week to ${ctx.session}: ${m.subject}` : m.subject,
      html: m.html,
      text: m.text,
      attachments: JSON.stringify(m.attachments),
      body: '',
      createdMs: now,
    });
    return m;
  };
  const m = await put('daily');
  if (isLastSessionOfWeek(ctx.session)) {
    const monday = sessionsBetween(addDays(ctx.session, -6), ctx.session).filter((s) => s !== ctx.session);
    const archived = new Map((await ctx.state.archive(10)).map((e) => [e.session, e.headline]));
    const week = [
      ...monday
        .filter((s) => archived.has(s))
        .map((s) => ({ session: s, headline: archived.get(s) as string })),
      { session: ctx.session, headline: meta.headline },
    ];
    await put('weekly', week);
  }
  const kb = Math.round(Buffer.byteLength(m.html) / 1024);
  return {
    status: 'done',
    message: `brief as of ${r.brief.asOf}: ${r.facts.length} facts, mail ${kb} KB HTML, ${m.attachments.length} charts`,
  };
}

async function archiveStep(ctx: DailyContext): Promise<StepResult> {
  const meta = readMeta(ctx);
  const htmlPath = join(sessionDir(ctx), `brief-${meta.asOf}.html`);
  await ctx.state.putArchive({
    session: ctx.session,
    asOf: meta.asOf,
    headline: meta.headline,
    summary: meta.summary,
    htmlPath,
    createdMs: ctx.now(),
  });
  return { status: 'done', message: `archived ${htmlPath}` };
}

async function feedStep(ctx: DailyContext): Promise<StepResult> {
  const entries = await ctx.state.archive(50);
  const dir = resolve(ctx.publish.archiveDir);
  ensureDir(dir);
  writeFileAtomic(join(dir, 'feed.rss'), renderRss(entries, ctx.publish.baseUrl));
  writeFileAtomic(join(dir, 'feed.atom'), renderAtom(entries, ctx.publish.baseUrl));
  return { status: 'done', message: `feed.rss and feed.atom with ${entries.length} briefs in ${dir}` };
}

/**
 * One send pass with the store's acknowledgement journal (beside a DuckDB file; in the archive folder for
 * PostgreSQL): what a killed run had sent but not marked is marked first, then the due rows are sent.
 */
async function send(ctx: DailyContext): Promise<SendSummary> {
  const path = ackJournalPath(ctx.store, resolve(ctx.publish.archiveDir));
  if (path) ensureDir(dirname(path));
  const acks = path ? new AckJournal(path) : null;
  try {
    return await sendDue({ ...ctx.sender(), acks }, ctx.session);
  } finally {
    acks?.close();
  }
}

function summaryText(s: SendSummary, what: string): StepResult {
  const doubt =
    s.inDoubt > 0
      ? ` (${s.inDoubt} left in doubt by a stopped run, sent again with the same id: docs/publish.md)`
      : '';
  const message = `${s.sent} ${what} sent, ${s.failed} failed for good, ${s.waiting} waiting for a retry${doubt}`;
  return { status: s.waiting > 0 ? 'failed' : 'done', message };
}

async function newsletterStep(ctx: DailyContext): Promise<StepResult> {
  const active = await ctx.state.subscribers('active');
  const weekly = (await ctx.state.edition(editionId(ctx.session, 'weekly'))) !== null;
  const now = ctx.now();
  const rows = active
    .filter((s) => s.cadence === 'daily' || weekly)
    .map((s) => ({
      id: `${ctx.session}:brief-${s.cadence}:${s.address}`,
      session: ctx.session,
      kind: `brief-${s.cadence}`,
      channel: 'email' as const,
      recipient: s.address,
      edition: editionId(ctx.session, s.cadence),
      nextAttemptMs: now,
      createdMs: now,
    }));
  const added = await ctx.state.enqueue(rows);
  const queued = (await ctx.state.outbox(ctx.session)).filter((r) => r.kind.startsWith('brief-'));
  if (queued.every((r) => r.status !== 'pending'))
    return {
      status: 'done',
      message: `${queued.filter((r) => r.status === 'sent').length} mails sent (${added} queued now)`,
    };
  return summaryText(await send(ctx), 'mails');
}

async function alertsStep(ctx: DailyContext): Promise<StepResult> {
  const evaluated = (await ctx.state.steps(ctx.session)).some((s) => s.step === 'alerts:evaluated');
  const notes: string[] = [];
  if (!evaluated) {
    const ev = await evaluateAlerts(ctx.store, ctx.state, ctx.config, ctx.publish.alerts, ctx.session);
    notes.push(...ev.notes);
    const now = ctx.now();
    // Events, the rules' new state and the evaluation mark in one transaction: a crash repeats all or none of it.
    await ctx.state.transaction(async () => {
      for (const s of ev.signals)
        await ctx.state.addAlertEvent({
          id: s.id,
          rule: s.rule,
          session: s.session,
          title: s.title,
          payload: webhookBody(s),
          createdMs: now,
        });
      for (const c of ev.state) await ctx.state.putAlertState(c.rule, c.subject, c.value, ctx.session);
      await ctx.state.recordStep({
        session: ctx.session,
        step: 'alerts:evaluated',
        status: 'done',
        message: `${ev.signals.length} alerts`,
        finishedMs: now,
      });
    });
  }
  const events = await ctx.state.alertEvents({ session: ctx.session, limit: 10_000 });
  const now = ctx.now();
  const subscribers = (await ctx.state.subscribers('active')).filter((s) => s.alerts);
  for (const e of events) {
    const mail = renderAlertMail(JSON.parse(e.payload) as AlertPayload);
    await ctx.state.putEditionOnce({
      id: `alert:${e.id}`,
      session: e.session,
      kind: 'alert',
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      attachments: '[]',
      body: e.payload,
      createdMs: now,
    });
  }
  const rows = events.flatMap((e) =>
    [
      ...ctx.publish.webhooks.map((w) => ({
        id: `${e.id}:webhook:${w.id}`,
        recipient: w.id,
        channel: 'webhook' as const,
      })),
      ...subscribers.map((s) => ({
        id: `${e.id}:email:${s.address}`,
        recipient: s.address,
        channel: 'email' as const,
      })),
    ].map((r) => ({
      ...r,
      session: ctx.session,
      kind: 'alert',
      edition: `alert:${e.id}`,
      nextAttemptMs: now,
      createdMs: now,
    })),
  );
  await ctx.state.enqueue(rows);
  const pending = (await ctx.state.outbox(ctx.session)).filter(
    (r) => r.kind === 'alert' && r.status === 'pending',
  );
  if (pending.length === 0)
    return {
      status: 'done',
      message: `${events.length} alerts, all delivered${notes.length ? `; ${notes.join('; ')}` : ''}`,
    };
  const r = summaryText(await send(ctx), 'alert deliveries');
  return { ...r, message: `${events.length} alerts: ${r.message}` };
}

async function doctorStep(ctx: DailyContext): Promise<StepResult> {
  const r = await runDoctor(ctx.store, { asOf: ctx.session });
  return {
    status: 'done',
    message: `${r.symbols.length} symbols checked: ${r.findings.length} findings (worst: ${r.severity})`,
  };
}

/**
 * Runs the daily run's steps for one session, in order, skipping those already done (or skipped) for it, and
 * recording each. The first failed step stops the run: later steps depend on it. Sync is soft: when it cannot
 * reach a provider it is recorded as `skipped` with the reason and the run goes on with the stored data.
 */
export async function runDaily(ctx: DailyContext): Promise<DailyOutcome> {
  const before = new Map((await ctx.state.steps(ctx.session)).map((s) => [s.step, s]));
  const out: DailyOutcome = { session: ctx.session, steps: [], ok: true };
  for (const step of STEPS) {
    const prior = before.get(step);
    if (prior && prior.status !== 'failed') {
      out.steps.push({ step, status: prior.status, message: `${prior.message ?? ''} (earlier run)` });
      continue;
    }
    if (!out.ok) {
      out.steps.push({ step, status: 'pending', message: 'not run: an earlier step failed' });
      continue;
    }
    let r: StepResult;
    try {
      r = await runStep(ctx, step);
    } catch (e) {
      const text = e instanceof InputError ? e.describe() : e instanceof Error ? e.message : String(e);
      r = { status: 'failed', message: text.split('\n')[0] ?? 'failed' };
    }
    await ctx.state.recordStep({
      session: ctx.session,
      step,
      status: r.status,
      message: r.message,
      finishedMs: ctx.now(),
    });
    ctx.log(`${step}: ${r.status}: ${r.message}`);
    out.steps.push({ step, ...r });
    if (r.status === 'failed') out.ok = false;
  }
  return out;
}

async function runStep(ctx: DailyContext, step: StepName): Promise<StepResult> {
  switch (step) {
    case 'sync':
      return ctx.sync ? ctx.sync() : { status: 'skipped', message: 'sync not asked for (--no-sync)' };
    case 'doctor':
      return doctorStep(ctx);
    case 'brief':
      return briefStep(ctx);
    case 'archive':
      return archiveStep(ctx);
    case 'feed':
      return feedStep(ctx);
    case 'newsletter':
      return newsletterStep(ctx);
    case 'alerts':
      return alertsStep(ctx);
  }
}
