-- Headless Neovim (0.7+) check: attach model-lint-language-server to the current buffer and print its diagnostics.
-- Environment: MODEL_LINT_SERVER = path of bin/model-lint-language-server.js, MODEL_LINT_NODE = node binary,
-- MODEL_LINT_SETTINGS = optional JSON of the `modelLint` settings section.
local server = os.getenv('MODEL_LINT_SERVER')
local node = os.getenv('MODEL_LINT_NODE') or 'node'
local timeout_ms = tonumber(os.getenv('MODEL_LINT_TIMEOUT_MS') or '15000')

-- -u NONE skips filetype detection; the language id the client sends comes from the filetype.
vim.cmd('filetype on')
vim.cmd('filetype detect')
local buffer = vim.api.nvim_get_current_buf()
-- Neovim's LSP client sends the filetype as the document's language id (python for .py, typescript for .ts).
io.stdout:write('filetype ' .. vim.bo[buffer].filetype .. '\n')
local file = vim.api.nvim_buf_get_name(buffer)
local settings_json = os.getenv('MODEL_LINT_SETTINGS')
local settings = settings_json and { modelLint = vim.fn.json_decode(settings_json) } or {}
local client_id = vim.lsp.start_client({
  name = 'model-lint',
  cmd = { node, server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
  settings = settings,
  -- Neovim 0.7 does not announce workspace/configuration, so the settings are handed over once started.
  on_init = function(client)
    client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
  end,
})
if client_id == nil then
  io.stdout:write('model-lint: the language server did not start\n')
  vim.cmd('cquit 1')
end
vim.lsp.buf_attach_client(buffer, client_id)

local arrived = vim.wait(timeout_ms, function()
  return #vim.diagnostic.get(buffer) > 0
end, 50)

if not arrived then
  io.stdout:write('model-lint: no diagnostics arrived within ' .. timeout_ms .. ' ms\n')
  vim.cmd('cquit 1')
end

for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
  -- One line per diagnostic: 1-based line, column, code (rule id), source, message.
  io.stdout:write(string.format('diagnostic %d:%d %s [%s] %s\n', diagnostic.lnum + 1, diagnostic.col + 1,
    tostring(diagnostic.code or (diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code)),
    tostring(diagnostic.source), (diagnostic.message:gsub('\n', ' '))))
end
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
