// EventBridge schedule expressions, checked at compile time so a typo fails
// the build instead of the deployment. Returns a reason, or undefined if valid.
// Syntax: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Special forms this field allows besides numbers, ranges, steps and `*`. */
  question?: boolean;
  special?: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true, special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, question: true, special: /^(L|[1-7]L|[1-7]#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199 },
];

export function checkSchedule(expression: string): string | undefined {
  if (expression.startsWith('rate(')) return checkRate(expression);
  if (expression.startsWith('cron(')) return checkCron(expression);
  return 'it must start with rate( or cron(';
}

function checkRate(expression: string): string | undefined {
  const match = RATE.exec(expression);
  if (!match) return 'a rate is `rate(<value> <minute|minutes|hour|hours|day|days>)`';
  const value = Number(match[1]);
  if (value < 1) return 'the rate value must be a positive whole number';
  const singular = !match[2].endsWith('s');
  if (value === 1 && !singular) return `use the singular unit for 1: rate(1 ${match[2].slice(0, -1)})`;
  if (value > 1 && singular) return `use the plural unit: rate(${value} ${match[2]}s)`;
  return undefined;
}

function checkCron(expression: string): string | undefined {
  if (!expression.endsWith(')')) return 'a cron expression ends with )';
  const fields = expression.slice('cron('.length, -1).trim().split(/\s+/);
  if (fields.length !== 6) return `cron takes 6 fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`;
  for (let i = 0; i < FIELDS.length; i++) {
    const problem = checkField(fields[i], FIELDS[i]);
    if (problem) return problem;
  }
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'exactly one of day-of-month and day-of-week must be ?';
  return undefined;
}

function checkField(text: string, field: CronField): string | undefined {
  if (text === '?') return field.question ? undefined : `? is not allowed in ${field.name}`;
  for (const item of text.split(',')) {
    if (field.special?.test(item.toUpperCase())) continue;
    const [range, step, extra] = item.split('/');
    if (extra !== undefined) return `${field.name} item ${JSON.stringify(item)} has more than one /`;
    if (step !== undefined && !/^\d+$/.test(step)) return `${field.name} step ${JSON.stringify(step)} must be a number`;
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${field.name} item ${JSON.stringify(item)} is not a value or range`;
    for (const bound of bounds) {
      const value = toNumber(bound, field);
      if (value === undefined || value < field.min || value > field.max) {
        return `${field.name} value ${JSON.stringify(bound)} is not within ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`;
      }
    }
  }
  return undefined;
}

function toNumber(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index + field.min : undefined;
}
