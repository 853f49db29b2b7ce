// Preloaded into n8n (`node --require`) by the end-to-end suite: resolves the public API hosts named
// in ALTEGIO_E2E_HOSTS ("api.yclients.com=127.0.0.1,…") to local addresses, like an /etc/hosts entry,
// so that the node's real host choice can be tested against the sandbox without leaving the machine.
const dns = require('node:dns');

const hosts = new Map(
	(process.env.ALTEGIO_E2E_HOSTS || '')
		.split(',')
		.filter(Boolean)
		.map((pair) => pair.split('=').map((part) => part.trim())),
);

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
	const address = hosts.get(hostname);
	if (address === undefined) return lookup.apply(this, arguments);
	const done = typeof options === 'function' ? options : callback;
	const all = typeof options === 'object' && options !== null && options.all;
	process.nextTick(() => (all ? done(null, [{ address, family: 4 }]) : done(null, address, 4)));
	return {};
};

const lookupPromise = dns.promises.lookup;
dns.promises.lookup = async function (hostname, options) {
	const address = hosts.get(hostname);
	if (address === undefined) return lookupPromise.apply(this, arguments);
	return options && options.all ? [{ address, family: 4 }] : { address, family: 4 };
};
