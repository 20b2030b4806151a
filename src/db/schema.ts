import {
  customType,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

/**
 * Every row below belongs to a review, so a second review loads beside the first.
 * JSON columns hold short lists that are only ever read whole (authors, keywords).
 */

export const reviews = sqliteTable("reviews", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  authors: text("authors", { mode: "json" }).$type<string[]>().notNull(),
  affiliations: text("affiliations", { mode: "json" }).$type<string[]>().notNull(),
  submitted: text("submitted"),
  reviewed: text("reviewed"),
  accepted: text("accepted"),
  keywords: text("keywords", { mode: "json" }).$type<string[]>().notNull(),
  citation: text("citation").notNull(),
  sourceFile: text("source_file").notNull(),
  // Hash of the curated files it was loaded from: a start with unchanged data does nothing.
  dataHash: text("data_hash").notNull(),
  loadedAt: text("loaded_at").notNull(),
});

export const works = sqliteTable(
  "works",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    reviewId: text("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    authors: text("authors", { mode: "json" }).$type<string[]>().notNull(),
    year: integer("year"),
    title: text("title").notNull(),
    venue: text("venue"),
    volume: text("volume"),
    issue: text("issue"),
    pages: text("pages"),
    // The entry as first printed, kept beside the parsed fields.
    raw: text("raw").notNull(),
    // True for references that have nothing to do with medical imaging (see data notes).
    offTopic: integer("off_topic", { mode: "boolean" }).notNull().default(false),
    // Imported reference libraries keep what a printed list lacks: DOI, URL, CSL type and the
    // whole CSL item (full given names), which the exports prefer over the parsed fields.
    doi: text("doi"),
    url: text("url"),
    type: text("type"),
    csl: text("csl", { mode: "json" }).$type<Record<string, unknown>>(),
    // Identity across reviews: lower-cased DOI when there is one, else first author's surname,
    // year and folded title (src/ingest/work-identity.ts). A work two reviews cite is one row.
    identity: text("identity"),
  },
  (t) => [
    index("works_review_year_idx").on(t.reviewId, t.year),
    index("works_identity_idx").on(t.identity),
    index("works_doi_idx").on(t.doi),
  ],
);

/** Each place a work is printed in the reference list; a duplicated entry gives a work two rows. */
export const workEntries = sqliteTable(
  "work_entries",
  {
    reviewId: text("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    printedNumber: integer("printed_number"),
    workId: integer("work_id")
      .notNull()
      .references(() => works.id, { onDelete: "cascade" }),
    raw: text("raw").notNull(),
    // The key the review's own library gives the work (BibTeX key, RIS ID, CSL id).
    citeKey: text("cite_key"),
  },
  (t) => [
    primaryKey({ columns: [t.reviewId, t.position] }),
    // Which reviews cite a work: the entries are the link, so a work shared by two reviews is one row.
    index("work_entries_work_idx").on(t.workId, t.reviewId),
  ],
);

export const studies = sqliteTable(
  "studies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    reviewId: text("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    organ: text("organ").notNull(),
    // Imported sheets: the cells as printed beside the normalised organ and strategy.
    organPrinted: text("organ_printed"),
    conditionPrinted: text("condition_printed").notNull(),
    condition: text("condition").notNull(),
    methodText: text("method_text").notNull(),
    // A canonical strategy, or a printed one the vocabulary cannot map, kept as given.
    strategy: text("strategy"),
    strategyPrinted: text("strategy_printed"),
    year: integer("year"),
    modality: text("modality"),
    modalitySource: text("modality_source"),
    authorsPrinted: text("authors_printed").notNull(),
    dataset: text("dataset"),
    sampleSize: integer("sample_size"),
    sourceTable: text("source_table").notNull(),
    sourceRow: integer("source_row").notNull(),
  },
  (t) => [
    uniqueIndex("studies_source_idx").on(t.reviewId, t.sourceTable, t.sourceRow),
    // (organ, id) orders a page sorted by organ; the columns after id let that walk test the
    // column filters inside the index, with no read of the (wide) study row for each step over a
    // non-match: condition=tumor sorted by -organ steps over 300k studies at 1M (26 ms, not 380).
    index("studies_organ_idx").on(t.organ, t.id, t.strategy, t.modality, t.year, t.reviewId, t.condition),
    index("studies_strategy_idx").on(t.strategy, t.id),
    index("studies_year_idx").on(t.year, t.id),
    index("studies_modality_idx").on(t.modality, t.id),
  ],
);

export const studyBackbones = sqliteTable(
  "study_backbones",
  {
    studyId: integer("study_id")
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    backbone: text("backbone").notNull(),
    // The architecture family (DenseNet for DenseNet-121) where the vocabulary knows one.
    family: text("family"),
    printed: text("printed"),
  },
  (t) => [
    primaryKey({ columns: [t.studyId, t.backbone] }),
    // Backbone filter walks from the name to the studies.
    index("study_backbones_backbone_idx").on(t.backbone, t.studyId),
  ],
);

/** Reported results: accuracy is one metric among others (AUC, F1, ...), never a column name. */
export const studyResults = sqliteTable(
  "study_results",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    studyId: integer("study_id")
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    value: real("value"),
    low: real("low"),
    high: real("high"),
    text: text("text").notNull(),
    // "percent" (0-100) or "fraction" (0-1): every value of one metric is on that metric's one
    // scale, so a median never mixes 0.99 with 99. Null for a metric without a known range.
    scale: text("scale", { enum: ["percent", "fraction"] }),
    metricPrinted: text("metric_printed"),
  },
  (t) => [
    uniqueIndex("study_results_study_metric_idx").on(t.studyId, t.metric),
    index("study_results_metric_value_idx").on(t.metric, t.value, t.studyId),
  ],
);

/**
 * Review folders that failed to load at the last start: the others are served, /health says
 * "degraded" and names each one with its problems. A review that loaded before keeps serving
 * its last good data.
 */
export const loadFailures = sqliteTable("load_failures", {
  dir: text("dir").primaryKey(),
  reviewId: text("review_id"),
  problems: text("problems", { mode: "json" }).$type<string[]>().notNull(),
  failedAt: text("failed_at").notNull(),
});

export const citationLinks = sqliteTable(
  "citation_links",
  {
    studyId: integer("study_id")
      .primaryKey()
      .references(() => studies.id, { onDelete: "cascade" }),
    printed: text("printed").notNull(),
    printedNumber: integer("printed_number"),
    workId: integer("work_id").references(() => works.id, { onDelete: "set null" }),
    confidence: text("confidence", { enum: ["high", "medium", "low"] }).notNull(),
    status: text("status", { enum: ["linked", "uncertain"] }).notNull(),
    evidence: text("evidence", { mode: "json" }).$type<string[]>().notNull(),
    reason: text("reason"),
  },
  (t) => [index("citation_links_work_idx").on(t.workId)],
);

/** Every place the printed review was corrected, with the printed text and the reason. */
export const corrections = sqliteTable("corrections", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  reviewId: text("review_id")
    .notNull()
    .references(() => reviews.id, { onDelete: "cascade" }),
  location: text("location").notNull(),
  field: text("field").notNull(),
  printed: text("printed").notNull(),
  corrected: text("corrected").notNull(),
  reason: text("reason").notNull(),
});

/**
 * Methods knowledge (convolution variants, pooling, transfer categories, pre-trained models,
 * activations, equations). One table with a `kind` keeps a second review's own methods tables
 * loadable without a migration; each kind's attributes are validated by zod on load and read.
 */
export const methodItems = sqliteTable(
  "method_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    reviewId: text("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    attributes: text("attributes", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    source: text("source").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("method_items_kind_slug_idx").on(t.reviewId, t.kind, t.slug)],
);

/**
 * Maintained summaries (docs/decisions/0005): per grouping set, how many rows each group holds
 * and a two-level histogram of each metric's values, so counts, means and exact quartiles are
 * read from a few hundred rows instead of a scan. Kept in step by the loader (src/summary/),
 * never by guessing: `summary_state` says whether they match the data.
 *
 * Key columns are declared BLOB so SQLite applies no affinity: a year stays an integer and an
 * organ stays text, exactly as in the studies table, and NULL is a key like any other.
 */
const key = customType<{ data: string | number | null; driverData: string | number | null }>({
  dataType: () => "blob",
});

/**
 * One row. Triggers (migrations/0002, 0006) add one to `generation` on every write to studies,
 * study_backbones, study_results or citation_links and on a change of a work's title or
 * authors (the full-text index's text); the summaries are current only while `built_generation`
 * equals it, so a write by any other program makes them stale, never wrong.
 */
export const summaryState = sqliteTable("summary_state", {
  id: integer("id").primaryKey(),
  generation: integer("generation").notNull(),
  builtGeneration: integer("built_generation"),
  /**
   * The generation `summary_figures` was last brought up to date at. Equal to `built_generation`
   * when every group's figures are kept; a database from before the figures (migration 0008)
   * has NULL here until its next rebuild, and its statistics are walked from the histograms.
   */
  figuresGeneration: integer("figures_generation"),
});

/** Rows per group: studies, or study-backbone pairs for a grouping with backbone. */
export const summaryCounts = sqliteTable(
  "summary_counts",
  {
    grouping: text("grouping").notNull(),
    k0: key("k0"),
    k1: key("k1"),
    k2: key("k2"),
    n: integer("n").notNull(),
  },
  (t) => [index("summary_counts_idx").on(t.grouping, t.k0, t.k1, t.k2, t.n)],
);

/** Coarse histogram: values with floor(value) = bin; `total` sums them in millionths, exactly. */
export const summaryBins = sqliteTable(
  "summary_bins",
  {
    grouping: text("grouping").notNull(),
    metric: text("metric").notNull(),
    k0: key("k0"),
    k1: key("k1"),
    k2: key("k2"),
    bin: integer("bin").notNull(),
    n: integer("n").notNull(),
    total: integer("total").notNull(),
  },
  (t) => [index("summary_bins_idx").on(t.grouping, t.metric, t.k0, t.k1, t.k2, t.bin, t.n, t.total)],
);

/** Fine histogram: each distinct value and how often it occurs in the group. */
export const summaryValues = sqliteTable(
  "summary_values",
  {
    grouping: text("grouping").notNull(),
    metric: text("metric").notNull(),
    k0: key("k0"),
    k1: key("k1"),
    k2: key("k2"),
    value: real("value").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [index("summary_values_idx").on(t.grouping, t.metric, t.k0, t.k1, t.k2, t.value, t.n)],
);

/**
 * Each group's statistics of a metric, kept with the histograms they are read from (decision 0005,
 * round 3): the value count, the exact sum in millionths, and the order statistics (type-7
 * quartiles, median, extremes), so a stats answer reads one row per group instead of walking
 * each group's histogram for five order statistics.
 */
export const summaryFigures = sqliteTable(
  "summary_figures",
  {
    grouping: text("grouping").notNull(),
    metric: text("metric").notNull(),
    k0: key("k0"),
    k1: key("k1"),
    k2: key("k2"),
    n: integer("n").notNull(),
    total: integer("total").notNull(),
    q1: real("q1").notNull(),
    median: real("median").notNull(),
    q3: real("q3").notNull(),
    min: real("min").notNull(),
    max: real("max").notNull(),
  },
  (t) => [index("summary_figures_idx").on(t.grouping, t.metric, t.k0, t.k1, t.k2)],
);

export type Review = typeof reviews.$inferSelect;
export type Work = typeof works.$inferSelect;
export type WorkEntry = typeof workEntries.$inferSelect;
export type Study = typeof studies.$inferSelect;
export type StudyResult = typeof studyResults.$inferSelect;
export type LoadFailure = typeof loadFailures.$inferSelect;
export type CitationLink = typeof citationLinks.$inferSelect;
export type Correction = typeof corrections.$inferSelect;
export type MethodItem = typeof methodItems.$inferSelect;

