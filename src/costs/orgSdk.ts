// What the Costs feature uses of the Organizations client, loaded when first needed (accountsView.ts), for the
// same reason as ceSdk.ts.
export { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
