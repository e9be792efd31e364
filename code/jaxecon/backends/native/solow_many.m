% MATLAB's trick in GNU Octave: the Solow law of motion k' = a s k.^alpha + (1 - delta) k
% for many initial conditions at once, one array operation per time step, timed in-process.
% Called with variables kfile s alpha delta a n repeats already defined; kfile holds the
% initial conditions, one a line. Prints the fastest and the median repeat in seconds on
% the first line, then the final capital stock of every path, one a line.
1;  % a leading statement makes Octave read this file as a script, not a function file
function k = solow_many(k0, s, alpha, delta, a, n)
  k = k0;
  for i = 1:n
    k = a * s * k.^alpha + (1 - delta) * k;
  end
end

k0 = load("-ascii", kfile);
times = zeros(repeats, 1);
for r = 1:repeats
  tic; k = solow_many(k0, s, alpha, delta, a, n); times(r) = toc;
end
printf("%.17g %.17g\n", min(times), median(times));
printf("%.17g\n", k);
