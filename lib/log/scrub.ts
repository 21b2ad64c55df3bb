const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[a-z]{2,}/gi;
const PHONE = /\+?\d[\d\s().-]{7,}\d/g;
// Shaped like a phone number but not one: IPv4 addresses (127.0.0.1 in every connection error) and
// ISO dates. Neither identifies a person, and scrubbing them makes operational logs unreadable.
const NOT_A_PHONE = [/^\d{1,3}(\.\d{1,3}){3}$/, /^\d{4}-\d{2}-\d{2}$/];

/** Removes anything shaped like an e-mail address or a phone number from log text. */
export function scrub(text: string): string {
  return text.replace(EMAIL, "[email]").replace(PHONE, (m) => (NOT_A_PHONE.some((re) => re.test(m)) ? m : "[phone]"));
}
