/**
 * Table tests of the Kubernetes CEL libraries, with the results kube-apiserver gives
 * (cases follow apiserver pkg/cel/library/*_test.go).
 */

import t from 'tap';
import { compileRule } from '../../src/cel/rule.js';
import { CelRuntimeError } from '../../src/cel/errors.js';

function evalExpr(expr: string, vars: Record<string, unknown> = {}): unknown {
  const rule = compileRule(expr, { vars: Object.keys(vars) });
  const r = rule.eval(vars);
  if (r.error) throw r.error;
  return r.value;
}

type Row = [expr: string, expected: unknown];

function table(name: string, rows: Row[]): void {
  t.test(name, async (t) => {
    for (const [expr, expected] of rows) t.same(evalExpr(expr), expected, expr);
  });
}

function errors(name: string, rows: [expr: string, message: RegExp][]): void {
  t.test(`${name} errors`, async (t) => {
    for (const [expr, msg] of rows) {
      const r = compileRule(expr, { vars: [] }).eval({});
      t.type(r.error, CelRuntimeError, expr);
      t.match(r.error?.summary, msg, expr);
    }
  });
}

table('lists', [
  ['[1, 2, 3].isSorted()', true],
  ['[3, 1].isSorted()', false],
  ["['a', 'b'].isSorted()", true],
  ['[1.0, 0.5].isSorted()', false],
  ['[].isSorted()', true],
  ['[1, 2, 3].sum()', 6],
  ['[1.5, 2.5].sum()', 4],
  ['[1, 5, 3].min()', 1],
  ['[1, 5, 3].max()', 5],
  ["['b', 'a'].min()", 'a'],
  ['[1, 2, 3, 2].indexOf(2)', 1],
  ['[1, 2, 3, 2].lastIndexOf(2)', 3],
  ["['a'].indexOf('z')", -1],
  ['[[1], [2]].indexOf([2])', 1],
]);
errors('lists', [['[].min()', /min called on empty list/], ['[].max()', /max called on empty list/]]);

table('regex', [
  ["'abc 123'.find('[0-9]+')", '123'],
  ["'abc'.find('[0-9]+')", ''],
  ["'123 abc 456'.findAll('[0-9]+')", ['123', '456']],
  ["'123 abc 456'.findAll('[0-9]+', 1)", ['123']],
  ["'abc'.findAll('[0-9]+')", []],
  ["'hello'.matches('^h.*o$')", true],
]);
errors('regex', [["'x'.find('[')", /invalid regular expression/]]);

table('urls', [
  ["url('https://example.com:80/path?query=val').getScheme()", 'https'],
  ["url('https://example.com:80/path').getHost()", 'example.com:80'],
  ["url('https://example.com:80/path').getHostname()", 'example.com'],
  ["url('https://example.com:80/path').getPort()", '80'],
  ["url('https://example.com/path').getPort()", ''],
  ["url('https://[::1]:80/path').getHostname()", '::1'],
  ["url('https://[::1]:80/path').getHost()", '[::1]:80'],
  ["url('https://example.com/with%20space').getEscapedPath()", '/with%20space'],
  ["url('/absolute-path').getScheme()", ''],
  ["url('https://example.com/?k=a&k=b&j=c').getQuery()", { k: ['a', 'b'], j: ['c'] }],
  ["url('https://example.com/').getQuery()", {}],
  ["isURL('https://user:pass@example.com:80/path?query=val#fragment')", true],
  ["isURL('../relative-path')", false],
  ["isURL('')", false],
]);
errors('urls', [["url('../relative')", /URL parse error/]]);

table('quantity', [
  ["quantity('1Gi').isGreaterThan(quantity('1M'))", true],
  ["quantity('50M').isLessThan(quantity('100M'))", true],
  ["quantity('200M').compareTo(quantity('0.2G'))", 0],
  ["quantity('1') == quantity('1000m')", true],
  ["quantity('1') != quantity('2')", true],
  ["isQuantity('20')", true],
  ["isQuantity('megabyte')", false],
  ["isQuantity('1.5Gi')", true],
  ["quantity('-5').sign()", -1],
  ["quantity('0').sign()", 0],
  ["quantity('50k').asInteger()", 50000],
  ["quantity('50k').isInteger()", true],
  ["quantity('9999999999999999999999999999999999999G').isInteger()", false],
  ["quantity('50.5').isInteger()", false],
  ["quantity('50.703k').asApproximateFloat()", 50703],
  ["quantity('50k').add(quantity('20')) == quantity('50.02k')", true],
  ["quantity('50k').add(20) == quantity('50020')", true],
  ["quantity('50k').sub(quantity('20')) == quantity('49980')", true],
  ["quantity('50k').sub(20).asInteger()", 49980],
  ["quantity('200M').isGreaterThan(quantity('100Mi'))", true],
]);
errors('quantity', [
  ["quantity('megabyte')", /quantities must match the regular expression/],
  ["quantity('50.5').asInteger()", /cannot convert value to integer/],
]);

table('strings', [
  ["'hello'.charAt(1)", 'e'],
  ["'hello'.charAt(5)", ''],
  ["'hello'.indexOf('l')", 2],
  ["'hello'.lastIndexOf('l')", 3],
  ["['a', 'b'].join('-')", 'a-b'],
  ["'TacoCat'.lowerAscii()", 'tacocat'],
  ["'TacoCat'.upperAscii()", 'TACOCAT'],
  ["'hello hello'.replace('he', 'we')", 'wello wello'],
  ["'hello hello'.replace('he', 'we', 1)", 'wello hello'],
  ["'hello hello'.replace('he', 'we', 0)", 'hello hello'],
  ["'a,b,c'.split(',')", ['a', 'b', 'c']],
  ["'a,b,c'.split(',', 2)", ['a', 'b,c']],
  ["'tacocat'.substring(4)", 'cat'],
  ["'tacocat'.substring(0, 4)", 'taco'],
  ["'  \\ttrim\\n  '.trim()", 'trim'],
  ["'%s is %d years'.format(['Ada', 36])", 'Ada is 36 years'],
  ["'%.2f'.format([3.14159])", '3.14'],
  ["'%x'.format([255])", 'ff'],
  ["'%b'.format([5])", '101'],
  ["'%o'.format([8])", '10'],
  ["'100%%'.format([])", '100%'],
  ["'%s'.format([[1, 'a']])", '[1, "a"]'],
  ["strings.quote('first\\nsecond')", '"first\\nsecond"'],
  ["strings.quote('quoted \"text\"')", '"quoted \\"text\\""'],
]);
errors('strings', [["'abc'.charAt(4)", /index out of range/], ["'%d'.format(['x'])", /error during formatting/]]);

table('sets', [
  ['sets.contains([1, 2, 3], [2, 3])', true],
  ['sets.contains([1, 2], [3])', false],
  ['sets.contains([], [])', true],
  ['sets.contains([1], [1.0])', true],
  ['sets.equivalent([1, 2, 3], [3, 2, 1, 1])', true],
  ['sets.equivalent([1], [1, 2])', false],
  ['sets.intersects([1, 2], [2, 5])', true],
  ['sets.intersects([1], [])', false],
]);

table('ip', [
  ["isIP('192.168.0.1')", true],
  ["isIP('2001:db8::1')", true],
  ["isIP('192.168.0.01')", false],
  ["isIP('::ffff:192.168.0.1')", false],
  ["isIP('fe80::1%eth0')", false],
  ["isIP('not an ip')", false],
  ["ip('192.168.0.1').family()", 4],
  ["ip('::1').family()", 6],
  ["ip.isCanonical('127.0.0.1')", true],
  ["ip.isCanonical('2001:db8::abcd')", true],
  ["ip.isCanonical('2001:DB8::ABCD')", false],
  ["ip.isCanonical('2001:db8:0:0:0:0:0:abcd')", false],
  ["ip('0.0.0.0').isUnspecified()", true],
  ["ip('::').isUnspecified()", true],
  ["ip('127.0.0.1').isLoopback()", true],
  ["ip('::1').isLoopback()", true],
  ["ip('224.0.0.1').isLinkLocalMulticast()", true],
  ["ip('ff02::1').isLinkLocalMulticast()", true],
  ["ip('224.0.1.1').isLinkLocalMulticast()", false],
  ["ip('169.254.169.254').isLinkLocalUnicast()", true],
  ["ip('fe80::1').isLinkLocalUnicast()", true],
  ["ip('192.168.0.1').isGlobalUnicast()", true],
  ["ip('255.255.255.255').isGlobalUnicast()", false],
  ["ip('2001:db8::1').isGlobalUnicast()", true],
  ["string(ip('2001:db8:0:0:0:0:0:1'))", '2001:db8::1'],
  ["ip('10.0.0.1') == ip('10.0.0.1')", true],
  ["isCIDR('192.168.0.0/24')", true],
  ["isCIDR('192.168.0.0/33')", false],
  ["isCIDR('192.168.0.0')", false],
  ["cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", true],
  ["cidr('192.168.0.0/24').containsIP('192.168.1.1')", false],
  ["cidr('192.168.0.0/24').containsIP('::1')", false],
  ["cidr('192.168.0.0/16').containsCIDR(cidr('192.168.10.0/24'))", true],
  ["cidr('192.168.0.0/24').containsCIDR('192.168.0.0/16')", false],
  ["cidr('2001:db8::/32').containsCIDR('2001:db8::/48')", true],
  ["cidr('192.168.0.7/24').ip() == ip('192.168.0.7')", true],
  ["string(cidr('192.168.0.7/24').masked())", '192.168.0.0/24'],
  ["cidr('192.168.0.0/24').prefixLength()", 24],
  ["string(cidr('::1/128'))", '::1/128'],
  ["cidr('10.0.0.0/8').ip().family()", 4],
]);
errors('ip', [
  ["ip('192.168.0.1.0')", /IP Address .* parse error during conversion from string/],
  ["ip('::ffff:1.2.3.4')", /IPv4-mapped IPv6 address .* is not allowed/],
  ["ip('fe80::1%eth0')", /with zone value is not allowed/],
  ["cidr('192.168.0.0/99')", /network address parse error/],
]);

table('format', [
  ["format.dns1123Label().validate('my-name').hasValue()", false],
  ["format.dns1123Label().validate('My-Name').hasValue()", true],
  ["format.named('dns1123Label').hasValue()", true],
  ["format.named('unknown').hasValue()", false],
  ["format.named('dns1123Subdomain').value().validate('example.com').hasValue()", false],
  ["format.dns1035Label().validate('1abc').hasValue()", true],
  ["format.dns1123LabelPrefix().validate('my-name-').hasValue()", false],
  ["format.dns1123Label().validate('my-name-').hasValue()", true],
  ["format.qualifiedName().validate('example.com/MyName').hasValue()", false],
  ["format.labelValue().validate('').hasValue()", false],
  ["format.labelValue().validate('-bad').hasValue()", true],
  ["format.uuid().validate('0b8ef0e3-6c6a-4f3b-a2f0-0e5b1a0b7c10').hasValue()", false],
  ["format.uuid().validate('nope').value()", ['does not match the UUID format']],
  ["format.uri().validate('https://example.com').hasValue()", false],
  ["format.byte().validate('aGVsbG8=').hasValue()", false],
  ["format.date().validate('2024-02-30').hasValue()", true],
  ["format.datetime().validate('2024-02-03T04:05:06Z').hasValue()", false],
  ["format.dns1123Label().validate('a'.format([])).orValue([]).size()", 0],
  ["format.dns1123Label().validate('Bad_Name').value()[0].startsWith('a lowercase RFC 1123 label')", true],
]);

table('semver', [
  ["isSemver('1.0.0')", true],
  ["isSemver('1.0')", false],
  ["isSemver('v1.0', true)", true],
  ["isSemver('01.0.0')", false],
  ["semver('1.2.3').major()", 1],
  ["semver('1.2.3').minor()", 2],
  ["semver('1.2.3').patch()", 3],
  ["semver('1.2.3').isLessThan(semver('1.10.0'))", true],
  ["semver('2.0.0').isGreaterThan(semver('1.99.99'))", true],
  ["semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", true],
  ["semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta'))", true],
  ["semver('1.0.0').compareTo(semver('1.0.0+build'))", 0],
  ["semver('1.0.1').compareTo(semver('1.0.0'))", 1],
  ["semver('v1.2', true).minor()", 2],
  ["semver('1.2.3') == semver('1.2.3')", true],
]);
errors('semver', [["semver('1.0')", /invalid semver/]]);
