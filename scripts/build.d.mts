// Types for build.mjs, which stays plain JavaScript so `npm start` can run it without tsx.
export declare const OUT_DIR: string;
export declare const SERVER: string;
export declare function build(outDir?: string): Promise<void>;
export declare function isStale(outDir?: string): boolean;
