;;; ward.el --- ward's secret scanner in Emacs, through eglot  -*- lexical-binding: t -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))

;;; Commentary:

;; Runs `ward lsp' as the eglot server of `ward-modes' (by default every
;; programming, text and configuration mode): findings appear as Flymake
;; diagnostics, the quick fixes (a ward:allow comment, "move to .env", add
;; to the baseline) through `eglot-code-actions', and
;; `ward-scan-workspace' scans the project's folders.  Secrets are not
;; masked: eglot has no hook for the ward/secretRanges notification.
;;
;; eglot runs one server per buffer, so ward takes the place of a language
;; server for the modes it is given; narrow `ward-modes' to keep yours.
;;
;;   (require 'ward)            ; with editors/emacs on the load-path
;;   (ward-eglot-setup)
;;   (add-hook 'prog-mode-hook #'eglot-ensure)
;;
;; Emacs 29 has eglot built in; on Debian 12 (Emacs 28) install elpa-eglot.

;;; Code:

(require 'eglot)
(require 'jsonrpc)

(defgroup ward nil
  "ward: secrets found as you type."
  :group 'tools)

(defcustom ward-program "ward"
  "The ward executable."
  :type 'string)

(defcustom ward-modes '(prog-mode text-mode conf-mode)
  "Major modes (and the modes derived from them) that eglot runs ward for."
  :type '(repeat symbol))

;;;###autoload
(defun ward-eglot-setup ()
  "Make `ward lsp' the eglot server for `ward-modes'."
  (setq eglot-server-programs
        (cons (cons ward-modes (lambda (&rest _) (list ward-program "lsp")))
              (cl-remove-if (lambda (e) (equal (car e) ward-modes)) eglot-server-programs))))

;;;###autoload
(defun ward-scan-workspace ()
  "Scan every folder of the current eglot project with ward.
The findings of files that are not open show up in their buffers as
they are visited (Flymake), and in `flymake-show-project-diagnostics'
on Emacs 29."
  (interactive)
  (let ((server (or (eglot-current-server) (user-error "ward: no eglot server here"))))
    (message "ward: scanning the workspace...")
    (jsonrpc-async-request
     server :workspace/executeCommand '(:command "ward.scanWorkspace")
     :success-fn (lambda (res)
                   (message "ward: %s findings in %s files"
                            (plist-get res :findings) (plist-get res :files)))
     :error-fn (lambda (err) (message "ward: %s" (plist-get err :message))))))

(provide 'ward)
;;; ward.el ends here
