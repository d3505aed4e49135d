// retail-platform: the whole composable commerce platform for the selected stack.
import { loadStackConfig } from "./config/load";
import { buildPlatform } from "./stacks";

// Validation runs before any resource is declared and reports every problem at once.
const platform = buildPlatform(loadStackConfig());

export const environment = platform.environment;
export const region = platform.region;
export const vpcId = platform.vpcId;
export const availabilityZones = platform.availabilityZones;
export const subnetIds = platform.subnetIds;
export const natGatewayIds = platform.natGatewayIds;
export const kmsKeyArns = platform.kmsKeyArns;
export const securityGroupIds = platform.securityGroupIds;
export const originVerifySecretArn = platform.originVerifySecretArn;
export const buckets = platform.buckets;
export const database = platform.database;
export const cacheEndpoint = platform.cacheEndpoint;
export const tables = platform.tables;
export const lakeDatabase = platform.lakeDatabase;
export const edge = platform.edge;
export const application = platform.application;
export const events = platform.events;
export const analytics = platform.analytics;
export const governance = platform.governance;
export const identity = platform.identity;
export const clickstream = platform.clickstream;
