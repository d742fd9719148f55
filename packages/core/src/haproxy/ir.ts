/**
 * The intermediate form between the model and haproxy.cfg text. Every directive is a list of
 * words *as HAProxy will see them after unquoting*; the serializer alone decides how to quote.
 * `origin` is the model path that produced the line, so an HAProxy error on line N can be mapped
 * back to the field a user edited.
 */
export interface Directive {
  words: readonly string[];
  origin: string;
}

export type SectionKind =
  'global' | 'defaults' | 'frontend' | 'backend' | 'userlist' | 'ring' | 'peers' | 'resolvers';

export interface Section {
  kind: SectionKind;
  name?: string;
  /** Comment lines above the section header; only ever built from grammar-checked names. */
  comments: readonly string[];
  directives: readonly Directive[];
  origin: string;
}

export interface RenderedFile {
  /** Absolute path on the unit, from NodeSettings.paths. */
  path: string;
  content: string;
}

export interface HaproxyBundle {
  /** The haproxy.cfg text. */
  config: string;
  /** Files the config refers to (host maps), written beside it before the check. */
  files: readonly RenderedFile[];
  /** The model path behind each line of `config` (index 0 is line 1); '' for structural lines. */
  lineOrigins: readonly string[];
  sections: readonly Section[];
  /** The server-state file the config loads; it must exist (an empty one is `1\n`). */
  serverStateFile: string;
}

/** Small builder so render functions read like the config they produce. */
export class DirectiveList {
  private readonly items: Directive[] = [];

  constructor(private readonly defaultOrigin: string) {}

  add(origin: string | null, ...words: (string | number)[]): this {
    this.items.push({ words: words.map(String), origin: origin ?? this.defaultOrigin });
    return this;
  }

  /** Adds the directive only when `cond` holds (keeps render code free of if-chains). */
  addIf(cond: boolean, origin: string | null, ...words: (string | number)[]): this {
    return cond ? this.add(origin, ...words) : this;
  }

  list(): Directive[] {
    return this.items;
  }
}
