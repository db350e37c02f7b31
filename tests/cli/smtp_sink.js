// A tiny SMTP server for the reminder tests: listens on 127.0.0.1 (a port the
// kernel picks, printed as "listening PORT"), accepts every message and writes
// each to DIR/NNN.eml (with the envelope as "X-Envelope-From/To" lines first).
// It logs the conversation on stdout, one line each way, as "CONN C: line"
// (client) and "CONN S: line" (server), with "CONN * ..." for what happened
// (a connection, TLS established, a login accepted or refused and whether it
// came over TLS).  A message's text is logged as one "C: (N lines of message)".
//
// usage: node smtp_sink.js DIR [--refuse] [--defer-file FILE] [--tls KEY CERT [--no-starttls | --smtps]]
//                              [--user USER --password PASSWORD [--auth "PLAIN LOGIN"]]
//   --refuse          answer every RCPT with 550, to test a refusing server
//   --defer-file FILE while FILE exists, answer every RCPT with 451 (try again
//                     later), to test a sender's retries
//   --tls KEY CERT    offer STARTTLS (EHLO advertises it), with this PEM key and
//                     certificate; --no-starttls loads them but does not offer it
//                     (a server that cannot protect a password); --smtps speaks
//                     TLS from the first byte instead (smtps://)
//   --user, --password  require a login (AUTH, advertised in every EHLO, even
//                     before TLS, so that a client that would send its password
//                     in clear can be caught doing it): a wrong one gets 535,
//                     and MAIL before a login gets 530
//   --auth MECHS      the mechanisms offered, of PLAIN and LOGIN (default both)
'use strict';
const net = require('net');
const tls = require('tls');
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const dir = args[0];
const flag = (name) => args.includes(name);
const value = (name, k = 1) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + k] : undefined;
};
const refuse = flag('--refuse');
const deferFile = value('--defer-file');
const tlsKey = value('--tls') && fs.readFileSync(value('--tls', 1));
const tlsCert = value('--tls') && fs.readFileSync(value('--tls', 2));
const smtps = flag('--smtps');
const starttls = Boolean(tlsKey) && !smtps && !flag('--no-starttls');
const wantUser = value('--user');
const wantPassword = value('--password');
const mechs = (value('--auth') || 'PLAIN LOGIN').toUpperCase().split(/\s+/);
let count = 0;
let connections = 0;

function session(raw, conn) {
  const log = (line) => process.stdout.write(conn + ' ' + line + '\n');
  let sock = raw;
  let secure = false;
  let buf = '';
  let inData = false;
  let from = '';
  let rcpt = [];
  let data = [];
  let user = null; // the user logged in, if any
  let auth = null; // an AUTH exchange under way: {mech, step, user}
  const say = (line) => {
    log('S: ' + line);
    sock.write(line + '\r\n');
  };
  const b64 = (s) => Buffer.from(s, 'base64').toString('utf8');

  const login = (mech, name, password) => {
    auth = null;
    if (name === wantUser && password === wantPassword) {
      user = name;
      log('* AUTH ' + mech + ' accepted for ' + name + (secure ? ' over TLS' : ' in clear'));
      say('235 2.7.0 Authentication successful');
    } else {
      log('* AUTH ' + mech + ' refused for ' + name + (secure ? ' over TLS' : ' in clear'));
      say('535 5.7.8 Authentication credentials invalid');
    }
  };

  // one line of an AUTH exchange after the AUTH command itself
  const authStep = (line) => {
    if (line === '*') {
      auth = null;
      say('501 5.7.0 authentication cancelled');
    } else if (auth.mech === 'PLAIN') {
      const parts = b64(line).split('\0');
      login('PLAIN', parts[1], parts[2]);
    } else if (auth.step === 'user') {
      auth.user = b64(line);
      auth.step = 'password';
      say('334 ' + Buffer.from('Password:').toString('base64'));
    } else {
      login('LOGIN', auth.user, b64(line));
    }
  };

  const command = (line) => {
    const verb = line.split(' ')[0].toUpperCase();
    if (verb === 'EHLO' || verb === 'HELO') {
      const caps = ['250-sink.invalid'];
      if (starttls && !secure) caps.push('250-STARTTLS');
      if (wantUser) caps.push('250-AUTH ' + mechs.join(' '));
      caps.push('250 8BITMIME');
      for (const c of verb === 'HELO' ? ['250 sink.invalid'] : caps) say(c);
    } else if (verb === 'STARTTLS') {
      if (!starttls || secure) return say('502 5.5.1 STARTTLS not offered');
      say('220 2.0.0 ready to start TLS');
      return 'tls';
    } else if (verb === 'AUTH') {
      const [, mech, initial] = line.split(' ');
      const m = (mech || '').toUpperCase();
      if (!wantUser || !mechs.includes(m)) return say('504 5.5.4 mechanism not offered');
      if (user) return say('503 5.5.1 already authenticated');
      auth = {mech: m, step: 'user'};
      if (m === 'PLAIN') {
        if (initial) authStep(initial);
        else say('334 ');
      } else if (initial) {
        authStep(initial);
      } else {
        say('334 ' + Buffer.from('Username:').toString('base64'));
      }
    } else if (verb === 'MAIL') {
      if (wantUser && !user) return say('530 5.7.0 Authentication required');
      from = line.replace(/^MAIL FROM:\s*/i, '');
      say('250 OK');
    } else if (verb === 'RCPT') {
      if (refuse) say('550 no such user here');
      else if (deferFile && fs.existsSync(deferFile)) say('451 4.3.0 try again later');
      else { rcpt.push(line.replace(/^RCPT TO:\s*/i, '')); say('250 OK'); }
    } else if (verb === 'DATA') { inData = true; say('354 end with .'); }
    else if (verb === 'RSET') { rcpt = []; data = []; say('250 OK'); }
    else if (verb === 'NOOP') say('250 OK');
    else if (verb === 'QUIT') { say('221 bye'); sock.end(); }
    else say('502 not implemented');
    return null;
  };

  const onData = (chunk) => {
    buf += chunk.toString('utf8');
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (inData) {
        if (line === '.') {
          log('C: (' + data.length + ' lines of message)');
          log('C: .');
          inData = false;
          count += 1;
          const name = path.join(dir, String(count).padStart(3, '0') + '.eml');
          const text = ['X-Envelope-From: ' + from, 'X-Envelope-To: ' + rcpt.join(', ')]
            .concat(data.map((l) => (l.startsWith('..') ? l.slice(1) : l))).join('\n') + '\n';
          fs.writeFileSync(name, text);
          data = [];
          rcpt = [];
          say('250 OK queued');
        } else {
          data.push(line);
        }
        continue;
      }
      log('C: ' + line);
      if (auth) {
        authStep(line);
      } else if (command(line) === 'tls') {
        // anything the client sent after STARTTLS in clear is dropped (RFC 3207)
        buf = '';
        sock.removeListener('data', onData);
        upgrade();
        return;
      }
    }
  };

  const upgrade = () => {
    sock = new tls.TLSSocket(raw, {isServer: true, key: tlsKey, cert: tlsCert});
    sock.on('secure', () => {
      secure = true;
      // a new EHLO is due, and what was said before TLS counts for nothing
      user = null; from = ''; rcpt = []; data = [];
      log('* TLS established (' + sock.getProtocol() + ')');
    });
    sock.on('data', onData);
    sock.on('error', (e) => log('* TLS error: ' + e.message));
  };

  log('* connection');
  if (smtps) {
    upgrade();
  } else {
    sock.on('data', onData);
  }
  raw.on('error', () => {});
  if (smtps) sock.once('secure', () => say('220 sink.invalid ESMTP test sink'));
  else say('220 sink.invalid ESMTP test sink');
}

const server = net.createServer((sock) => session(sock, ++connections));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('listening ' + server.address().port + '\n');
});
