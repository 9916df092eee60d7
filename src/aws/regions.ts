// Commercial regions offered in the region picker; "Other…" accepts any id.
export const REGIONS: [string, string][] = [
  ['us-east-1', 'US East (N. Virginia)'], ['us-east-2', 'US East (Ohio)'], ['us-west-1', 'US West (N. California)'], ['us-west-2', 'US West (Oregon)'],
  ['ca-central-1', 'Canada (Central)'], ['sa-east-1', 'South America (São Paulo)'],
  ['eu-west-1', 'Europe (Ireland)'], ['eu-west-2', 'Europe (London)'], ['eu-west-3', 'Europe (Paris)'], ['eu-central-1', 'Europe (Frankfurt)'], ['eu-central-2', 'Europe (Zurich)'], ['eu-north-1', 'Europe (Stockholm)'], ['eu-south-1', 'Europe (Milan)'],
  ['ap-south-1', 'Asia Pacific (Mumbai)'], ['ap-southeast-1', 'Asia Pacific (Singapore)'], ['ap-southeast-2', 'Asia Pacific (Sydney)'], ['ap-northeast-1', 'Asia Pacific (Tokyo)'], ['ap-northeast-2', 'Asia Pacific (Seoul)'], ['ap-northeast-3', 'Asia Pacific (Osaka)'], ['ap-east-1', 'Asia Pacific (Hong Kong)'],
  ['me-south-1', 'Middle East (Bahrain)'], ['me-central-1', 'Middle East (UAE)'], ['af-south-1', 'Africa (Cape Town)'], ['il-central-1', 'Israel (Tel Aviv)'],
];

export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** The name of a region from the picker's table ("Europe (Ireland)"), or undefined for one it does not list. */
export function regionName(region: string): string | undefined {
  return REGIONS.find(([id]) => id === region)?.[1];
}
