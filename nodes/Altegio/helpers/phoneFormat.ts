/**
 * The two ways the endpoints document a phone: digits with the country code (`13155550175`, as
 * the chain lookup and the client card take it), or the same digits after a `+` (`+13155550175`,
 * as appointment clients and loyalty cards take it).
 */
export type PhoneFormat = 'digits' | 'international';

/** Writes the digits that `normalizePhone` returns in the format an endpoint documents. */
export function formatPhone(digits: string, format: PhoneFormat): string {
	return format === 'international' ? `+${digits}` : digits;
}
