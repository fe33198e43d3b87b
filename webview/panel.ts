// The simulation panel's script (runs inside the webview). Filled in with the panel.
export {};
