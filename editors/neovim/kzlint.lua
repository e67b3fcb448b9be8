-- kzlint's language server in Neovim's built-in LSP client (Neovim 0.8 or
-- later; put this in your init.lua, or in after/ftplugin/text.lua).
-- kzlint finds the nearest kzlint.toml above each file by itself.
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'text', 'markdown' },
  callback = function(args)
    vim.lsp.start({
      name = 'kzlint',
      cmd = { 'kzlint', 'lsp' },
      root_dir = vim.fs.dirname(
        vim.fs.find({ 'kzlint.toml', '.kzlint.toml', '.git' }, { upward = true, path = args.file })[1]
      ),
    })
  end,
})
-- Neovim 0.7 has no vim.lsp.start: use vim.lsp.start_client with the same
-- table and vim.lsp.buf_attach_client(0, id), as tests/editors/nvim-lsp.lua does.
