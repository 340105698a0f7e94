/**
 * ImageRouter's model listings (`/v1/models`, `/v2/models`): the query parameters that filter,
 * sort and trim the catalog, and `/v2`'s `fields` selection.
 * @module
 */
import type { z } from '@reelkit/spec';
import { imagerouterSpec } from '@reelkit/spec';

const { priceRangeOf } = imagerouterSpec;

type CatalogEntry = imagerouterSpec.CatalogEntry;
type ModelV2 = imagerouterSpec.ModelV2;
type ModelsV1Query = z.infer<typeof imagerouterSpec.ModelsV1Query>;
type ModelsV2Query = z.infer<typeof imagerouterSpec.ModelsV2Query>;

/** The query parameters both listings understand (`/v1` says `type`, `/v2` says `outputType`). */
export type ListingQuery = Omit<ModelsV2Query, 'sort'> & Pick<ModelsV1Query, 'type' | 'sort'>;

/**
 * Filters, sorts and trims the catalog the way the listing query parameters ask.
 *
 * @example
 * selectEntries(IMAGEROUTER_CATALOG, { type: 'video', sort: 'price', limit: 2 });
 */
export function selectEntries(
  catalog: readonly CatalogEntry[],
  query: ListingQuery,
): CatalogEntry[] {
  const has = (haystack: string, needle: string) =>
    haystack.toLowerCase().includes(needle.toLowerCase());
  const output = query.outputType ?? query.type;
  let entries = catalog.filter((e) => {
    const m = e.model;
    if (output && !m.output.includes(output)) return false;
    if (query.provider && !m.providers.some((p) => has(p.id, query.provider ?? ''))) return false;
    if (query.free && (priceRangeOf(m).max === 0) !== (query.free === 'true')) return false;
    if (query.name && ![e.id, ...e.aliases].some((n) => has(n, query.name ?? ''))) return false;
    switch (query.inputType) {
      case 'image':
        return m.supported_params.edit;
      case 'mask':
        return m.supported_params.mask;
      case 'quality':
        return m.supported_params.quality;
      case 'seconds':
        return (m.seconds?.length ?? 0) > 0;
      case 'size':
      case undefined:
        return true;
    }
  });
  // Sort orders are not documented: names and providers ascending, price cheapest first, date
  // newest first (provisional).
  // /v1 takes any sort word; unknown ones leave the catalog order.
  const firstProvider = (e: CatalogEntry) => e.model.providers[0]?.id ?? '';
  const comparators: Record<string, (a: CatalogEntry, b: CatalogEntry) => number> = {
    name: (a, b) => a.id.localeCompare(b.id),
    provider: (a, b) => firstProvider(a).localeCompare(firstProvider(b)),
    price: (a, b) => priceRangeOf(a.model).average - priceRangeOf(b.model).average,
    date: (a, b) => b.model.release_date.localeCompare(a.model.release_date),
  };
  // Own properties only: `?sort=valueOf` must not find Object.prototype's function.
  const compare =
    query.sort && Object.hasOwn(comparators, query.sort) ? comparators[query.sort] : undefined;
  if (compare) entries = entries.sort(compare);
  return query.limit ? entries.slice(0, query.limit) : entries;
}

/**
 * A `/v2/models` entry with only the `fields` asked for (the id always stays).
 *
 * @example
 * pickFields(toModelV2(entry), 'id,pricing'); // { id, pricing }
 */
export function pickFields(model: ModelV2, fields: string | undefined): ModelV2 {
  if (!fields) return model;
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  const picked: Record<string, unknown> = { id: model.id };
  for (const [key, value] of Object.entries(model)) if (wanted.has(key)) picked[key] = value;
  return picked as ModelV2;
}
