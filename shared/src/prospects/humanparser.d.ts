declare module 'humanparser' {
  export interface ParsedName {
    salutation?: string;
    firstName?: string;
    middleName?: string;
    lastName?: string;
    suffix?: string;
    fullName?: string;
  }
  export function parseName(name: string): ParsedName;
}
