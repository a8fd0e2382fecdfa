-- Headless Neovim (0.7+) check: run the "Probe gradients" code lens through Neovim's own codelens module and print the report.
-- Environment: MODEL_LINT_SERVER = path of bin/model-lint-language-server.js, MODEL_LINT_NODE = node binary.
local server = os.getenv('MODEL_LINT_SERVER')
local node = os.getenv('MODEL_LINT_NODE') or 'node'
local timeout_ms = tonumber(os.getenv('MODEL_LINT_TIMEOUT_MS') or '60000')

local function fail(message)
  io.stdout:write('model-lint: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

vim.cmd('filetype on')
vim.cmd('filetype detect')
local buffer = vim.api.nvim_get_current_buf()
local file = vim.api.nvim_buf_get_name(buffer)

local shown_messages = {}
vim.lsp.handlers['window/showMessage'] = function(_, params)
  table.insert(shown_messages, params)
end
local command_result = nil
-- Neovim runs a lens's server command with workspace/executeCommand and hands the answer to this handler.
vim.lsp.handlers['workspace/executeCommand'] = function(err, result)
  command_result = { err = err, result = result }
end
-- Two lenses share the model's line; the headless "user" picks the probe one.
vim.ui.select = function(items, _, on_choice)
  for _, item in ipairs(items) do
    if item.lens.command.title == 'Probe gradients' then return on_choice(item) end
  end
  on_choice(nil)
end

local client_id = vim.lsp.start_client({
  name = 'model-lint',
  cmd = { node, server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
})
if client_id == nil then fail('the language server did not start') end
vim.lsp.buf_attach_client(buffer, client_id)

if not vim.wait(timeout_ms, function() return #vim.diagnostic.get(buffer) > 0 end, 50) then
  fail('no diagnostics arrived')
end
vim.lsp.codelens.refresh()
if not vim.wait(timeout_ms, function() return #vim.lsp.codelens.get(buffer) > 0 end, 50) then
  fail('no code lenses arrived')
end
local probe_lens = nil
for _, lens in ipairs(vim.lsp.codelens.get(buffer)) do
  if lens.command and lens.command.title == 'Probe gradients' then probe_lens = lens end
end
if probe_lens == nil then fail('no "Probe gradients" lens') end
io.stdout:write('lens ' .. probe_lens.command.command .. '\n')

vim.api.nvim_win_set_cursor(0, { probe_lens.range.start.line + 1, 0 })
vim.lsp.codelens.run()
if not vim.wait(timeout_ms, function() return command_result ~= nil end, 50) then
  fail('the probe command did not answer within ' .. timeout_ms .. ' ms')
end
if command_result.err then fail('the probe command failed: ' .. vim.inspect(command_result.err)) end

local report = command_result.result
io.stdout:write('probe-backend ' .. tostring(report.backend) .. '\n')
local function finding_ids(run)
  local ids = {}
  for _, finding in ipairs(run and run.findings or {}) do table.insert(ids, finding.id) end
  return #ids > 0 and table.concat(ids, ',') or 'healthy'
end
for _, model in ipairs(report.models) do
  local measured = 0
  for _, layer in ipairs(model.layers) do
    if type(layer.gradNorm) == 'number' then measured = measured + 1 end
  end
  io.stdout:write(string.format('probe-model %s layers=%d gradNorms=%d findings=%s fixed=%s\n', model.name, #model.layers,
    measured, finding_ids(model), model.fixed and finding_ids(model.fixed) or 'none'))
end
for _, message in ipairs(shown_messages) do
  io.stdout:write(string.format('show-message %d %s\n', message.type, (message.message:gsub('\n', ' '))))
end
-- Neovim 0.7 keeps work-done progress per token in client.messages.progress.
local progress_done = 0
for _, progress in pairs(vim.lsp.get_client_by_id(client_id).messages.progress or {}) do
  if progress.done then progress_done = progress_done + 1 end
end
io.stdout:write('progress-done ' .. progress_done .. '\n')
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
