import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Zone } from '../Altegio/helpers/zone';
import { locationZone, readLocationRecord } from '../Altegio/helpers/zone';
import type { AltegioApi } from '../Altegio/transport';

/** The most appointments one page of `GET /records` holds. */
export const PAGE_SIZE = 300;
/** A list longer than this many pages is not read (it would mean the API ignores `page`). */
const MAX_PAGES = 200;

/**
 * Every appointment `GET /records/{location}` lists for `qs`, page by page through the shared
 * limiter. Where a page carries `meta.total_count`, the pages are followed until that many are
 * read: the API may serve fewer than asked for (it documents no maximum), so a short page is not
 * the end. Without a total, a short page ends the list.
 */
export async function readRecords(
	context: IPollFunctions,
	api: AltegioApi,
	locationId: string,
	qs: IDataObject,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const { data, meta } = await api.requestPage({
			endpoint: `/records/${locationId}`,
			qs: { ...qs, count: PAGE_SIZE, page },
		});
		if (data !== null && data !== undefined && !Array.isArray(data)) {
			throw new NodeOperationError(
				context.getNode(),
				`The Altegio API returned page ${page} of the appointments in an unexpected shape`,
				{ description: 'Expected a list of appointments in the "data" field of the response' },
			);
		}
		const rows = (data ?? []) as IDataObject[];
		records.push(...rows);
		const total = Number(meta.total_count);
		const known =
			meta.total_count !== undefined && meta.total_count !== null && Number.isFinite(total);
		if (!known) {
			if (rows.length < PAGE_SIZE) return records;
			continue;
		}
		if (records.length >= total) return records;
		if (rows.length === 0) {
			throw new NodeOperationError(
				context.getNode(),
				`The Altegio API stopped the appointments of location ${locationId} at ${records.length} of the ${total} it counts`,
				{
					description: `Page ${page} came back empty. The poll emits nothing rather than miss appointments, and the next poll reads them again`,
				},
			);
		}
	}
	throw new NodeOperationError(
		context.getNode(),
		`The appointments of location ${locationId} did not end after ${MAX_PAGES} pages`,
		{ description: 'The trigger stopped reading so as not to spend the request budget' },
	);
}

/** The location's time zone, from its record in the list of locations. */
export async function readZone(
	context: IPollFunctions,
	api: AltegioApi,
	locationId: string,
): Promise<Zone> {
	const location = await readLocationRecord(api, locationId);
	if (location === undefined) {
		throw new NodeOperationError(
			context.getNode(),
			`Location ${locationId} is not among the locations this Altegio user can see`,
			{
				description:
					'Pick the location from the list, or check that the user of the credential has access to it',
			},
		);
	}
	const zone = locationZone(location);
	if (zone !== undefined) return zone;
	throw new NodeOperationError(
		context.getNode(),
		`Altegio did not give the time zone of location ${locationId}`,
		{
			description:
				'The trigger needs the location\'s time zone ("timezone_name" in the list of locations) to compute its time windows',
		},
	);
}
