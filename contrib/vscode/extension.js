// extension.js - the VS Code side of obc's language server: starts
// `obc lsp` (the program of the obc.path setting) over standard input and
// output for .ob files. Everything else (diagnostics, hover, definition,
// completion, formatting, quick fixes) comes from the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
    const command = vscode.workspace.getConfiguration('obc').get('path', 'obc');
    // No `transport` option: with one, the client would add --stdio to
    // the arguments, which obc lsp does not take (stdio is its only way).
    const serverOptions = { command, args: ['lsp'] };
    const clientOptions = {
        documentSelector: [{ scheme: 'file', language: 'obc' }],
    };
    client = new LanguageClient('obc', 'obc language server', serverOptions, clientOptions);
    context.subscriptions.push(
        vscode.workspace.onDidChangeConfiguration((event) => {
            if (event.affectsConfiguration('obc.path')) {
                vscode.window.showInformationMessage('obc: reload the window to use the new obc.path');
            }
        })
    );
    return client.start();
}

function deactivate() {
    return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
