// The languages of read-only documents that show outside text. package.json turns the editor's link
// detection off for both, so a URL or a `command:` link in a message, a log line or a stack event is never
// a clickable link.

/** Message bodies and drifted properties. */
export const OUTSIDE_TEXT_LANGUAGE = 'cloudmonitor-outside-text';
/** Log text (log events, stack events): the built-in Log colours (its grammar includes text.log). */
export const OUTSIDE_LOG_LANGUAGE = 'cloudmonitor-log';
