// Protocol and settings types shared by the VS Code client and the language server.

/** Settings section prefix. */
export const SETTINGS_SECTION = 'modelLint';
