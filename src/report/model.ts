import type { TradingDate } from '../shared/brand.js';
import type { BriefFact } from './facts/registry.js';
import type { Text } from './narrative/text.js';

/** One block of a section; renderers for HTML, Markdown and text handle every kind. */
export type Block =
  | { kind: 'p'; text: Text }
  | { kind: 'missing'; text: Text }
  | { kind: 'list'; items: Text[] }
  | { kind: 'table'; caption: string; head: string[]; rows: Text[][] }
  | {
      kind: 'chart';
      id: string;
      title: string;
      /** The wide rendering (desktop); `svgNarrow` is the same chart drawn for a 375 px phone. */
      svg: string;
      svgNarrow?: string | undefined;
      caption: Text;
    };

export type Section = { id: string; title: string; blocks: Block[] };

/** A series the brief read: where it came from and how far it reaches at the as-of date. */
export type SeriesUse = {
  symbol: string;
  sources: string[];
  first: string;
  last: string;
  field: string;
  /** The field as the method's table prints it when it states a date (`operating EPS (vintage <fact>)`). */
  fieldText?: Text;
  note: string | null;
};

export type Brief = {
  asOf: TradingDate;
  /**
   * Set when the brief's data end before the last completed NYSE session it should cover: every renderer prints it
   * first, so an old brief never passes for a current one.
   */
  banner: Text | null;
  headline: Text;
  lede: Text[];
  sections: Section[];
  facts: BriefFact[];
  series: SeriesUse[];
};
