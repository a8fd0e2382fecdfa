// VS Code client entry (placeholder until implemented).
export function activate(): void {}
export function deactivate(): void {}
