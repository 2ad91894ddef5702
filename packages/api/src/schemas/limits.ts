export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 1000;
export const PAGE_SIZE_MAX = 100;
export const PAGE_SIZE_DEFAULT = 20;
