/** The trigger's clock: the tests move it together with the sandbox's, so hours pass in seconds. */
export const clock = { now: (): number => Date.now() };
