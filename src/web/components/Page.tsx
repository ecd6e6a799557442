import { useEffect, useRef, type ReactNode } from 'react';

/** No page takes the focus when the application opens: the first Tab then reaches the skip link. */
let firstPage = true;

/**
 * The frame of a page: its title as the one h1 and the main landmark; `section` names the part
 * shown in the window's title. A page shown after a navigation that lost the focus (the control
 * used is gone with the previous page) gives it to its h1, so that keyboard and screen-reader
 * users go on from the new page's start.
 */
export function Page({ title, section, children }: { title: string; section?: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${section ? `${section} · ` : ''}${title} · DMP`;
  }, [title, section]);
  useEffect(() => {
    if (!firstPage && (!document.activeElement || document.activeElement === document.body)) heading.current?.focus();
    firstPage = false;
  }, []);
  return (
    <main id="contenu" tabIndex={-1}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </main>
  );
}
