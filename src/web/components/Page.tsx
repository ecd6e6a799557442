import { useEffect, type ReactNode } from 'react';

/** The frame of a page: its title as the one h1 and the main landmark. */
export function Page({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · DMP`;
  }, [title]);
  return (
    <main id="contenu" tabIndex={-1}>
      <h1>{title}</h1>
      {children}
    </main>
  );
}
