/**
 * Region and credentials for local endpoints (the embedded server, LocalStack). Neither checks
 * signatures; these values exist only so the SDK signs requests. Real AWS never sees them.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
